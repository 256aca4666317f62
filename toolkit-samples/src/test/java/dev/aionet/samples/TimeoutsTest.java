package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimeoutsTest {

  @Test
  void theProgramRecoversFromEachFailureAndTimeoutInOrder() throws Exception {
    List<String> lines = SampleOutput.linesOf(Timeouts::main);
    assertThat(lines).containsExactly(
        "waitFor: too slow, cancelled after 1 s",
        "timeout: both steps finished in time (second step)",
        "handled error: connection failed",
        "gatherSettled: ok one",
        "gatherSettled: error two failed",
        "gatherSettled: ok three",
        "taskGroup: TaskGroupException with short failed; the long one was cancelled");
  }
}

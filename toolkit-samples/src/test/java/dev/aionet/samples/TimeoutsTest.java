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
        "waitFor: troppo lenta, annullata dopo 1 s",
        "timeout: entrambi i passi finiti in tempo (secondo passo)",
        "errore gestito: connessione failed",
        "gatherSettled: ok uno",
        "gatherSettled: errore due failed",
        "gatherSettled: ok tre",
        "taskGroup: TaskGroupException con breve failed; la lunga è stata annullata");
  }
}

package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DebugModeSampleTest {

  @Test
  void theNeverRetrievedFailureIsReportedWithTheLineThatCreatedIt() throws Exception {
    List<String> lines = SampleOutput.linesOf(DebugMode::main);
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("exception handler: Task exception was never retrieved: task forgotten"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("dev.aionet.samples.DebugMode.asyncMain(DebugMode.java"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("IllegalStateException: nobody looked at me"));
  }
}

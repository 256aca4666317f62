package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AwaitTourTest {

  @Test
  void theSeedsProgramsInSequentialStylePrintWhatTheAsyncioOnesPrint() throws Exception {
    List<String> lines = SampleOutput.linesOf(AwaitTour::main);
    assertThat(lines).containsExactly(
        "Ciao, Barbara!", "Ciao, Andrea!", "Ciao, Cristina!",
        "Inizio operazione 2", "Inizio operazione 4", "Fine operazione 2", "Fine operazione 4",
        "waitFor: troppo lenta, annullata dopo 1 s",
        "errore gestito: connessione failed",
        "eco: Ciao", "eco: mondo");
  }
}

package dev.aionet.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Runs a sample's main and captures what it prints (the samples print: that is their job). */
final class SampleOutput {
  private SampleOutput() {}

  interface Main {
    void run() throws Exception;
  }

  static List<String> linesOf(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setProperty("aionet.samples.scale", "0.1");
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
      System.clearProperty("aionet.samples.scale");
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
  }
}

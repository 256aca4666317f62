package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The shaded {@code echo-server.jar} run as a process of its own, for the integration tests. */
final class EchoServerJar {
  static final Path JAR = Path.of("target", "echo-server.jar");
  /** The server's first line; group 1 is the port. */
  static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+) \\((\\w+), (\\d+) threads?(, TLS)?(, PROXY protocol)?, (await|callbacks) style\\)");

  private EchoServerJar() {}

  /** Starts {@code java [jvmOptions] -jar echo-server.jar [args]}, its stderr merged into stdout. */
  static Process start(List<String> jvmOptions, String... args) throws IOException {
    assertThat(JAR).exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * The next line the process prints, skipping the JVM's own "WARNING:" lines (on JDK 22+ a
   * native transport's System.load is reported unless native access is enabled).
   */
  static String nextLine(BufferedReader out) throws IOException {
    String line = out.readLine();
    while (line != null && line.startsWith("WARNING: ")) {
      line = out.readLine();
    }
    return line;
  }
}

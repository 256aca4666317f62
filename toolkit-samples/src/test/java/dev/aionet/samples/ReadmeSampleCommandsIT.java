package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the README says about echo-server.jar is true of the jar this build made. */
@Timeout(60)
class ReadmeSampleCommandsIT {
  private static final Path JAR = Path.of("target", "echo-server.jar");
  private static final Path README = Path.of("..", "README.md");
  private static final String README_JAR = "toolkit-samples/target/echo-server.jar";
  private static final Pattern CP_COMMAND =
      Pattern.compile("java [^`|]*-cp " + Pattern.quote(README_JAR) + " dev\\.aionet\\.samples\\.\\w+[^`|]*");

  private static String readme() throws Exception {
    return Files.readString(README, StandardCharsets.UTF_8);
  }

  private static List<String> classpathCommands() throws Exception {
    List<String> commands = new ArrayList<>();
    Matcher m = CP_COMMAND.matcher(readme());
    while (m.find()) {
      commands.add(m.group().strip());
    }
    return commands;
  }

  /** Runs a README command with this build's JDK and jar; returns everything it printed. */
  private static String run(String readmeCommand) throws Exception {
    List<String> command = new ArrayList<>();
    for (String word : readmeCommand.split(" +")) {
      command.add(word.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
          : word.equals(README_JAR) ? JAR.toString() : word);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s printed:%n%s", readmeCommand, output).isZero();
    return output;
  }

  @Test
  void everyClasspathCommandEnablesNativeAccess() throws Exception {
    List<String> commands = classpathCommands();

    assertThat(commands).hasSizeGreaterThanOrEqualTo(7)
        .allMatch(c -> c.startsWith("java --enable-native-access=ALL-UNNAMED -cp "));
  }

  @Test
  void theReadmesGreetingCommandRunsWithoutAJdkWarning() throws Exception {
    String greeting = classpathCommands().stream().filter(c -> c.endsWith("samples.Greeting")).findFirst().orElseThrow();

    String output = run(greeting);

    assertThat(output).contains("Ciao").doesNotContain("WARNING");
  }

  @Test
  void theReadmeGivesTheJarsSize() throws Exception {
    Matcher m = Pattern.compile("`echo-server\\.jar` \\((\\d+\\.\\d) MB\\)").matcher(readme());
    assertThat(m.find()).as("the README states echo-server.jar's size").isTrue();

    double stated = Double.parseDouble(m.group(1));
    double actual = Files.size(JAR) / 1e6;

    assertThat(actual).as("echo-server.jar in MB").isBetween(stated * 0.95, stated * 1.05);
  }

  @Test
  void theJarHoldsOnlyTheLinuxTransportNatives() throws Exception {
    List<String> natives;
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      natives = jar.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("META-INF/native/") && !n.endsWith("/")).collect(Collectors.toList());
    }

    assertThat(natives).isNotEmpty().allMatch(n -> n.matches(
        "META-INF/native/libnetty_transport_native_(epoll|io_uring\\d*)_(x86_64|aarch_64|riscv64)\\.so"));
  }

  @Test
  void theEchoServerStartsOneLoopThreadPerCoreAndReads65536BytesByDefault() throws Exception {
    assertThat(readme()).contains("starts one loop thread per core unless given `--threads n`",
        "reads `--read-size` bytes at a time, 65,536 by default");
    String help = run("java -jar " + README_JAR + " --help");
    assertThat(help.replaceAll("\\s+", " ")).contains("the tutorial used 100 (default: 65536)");

    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "--port", "0").redirectErrorStream(true).start();
    try {
      String listening = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
      int cores = Runtime.getRuntime().availableProcessors();
      assertThat(listening).contains(", " + cores + " thread" + (cores == 1 ? "," : "s"));
    } finally {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }
}

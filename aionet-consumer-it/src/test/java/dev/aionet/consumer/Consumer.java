package dev.aionet.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The consumer project invoker built in pre-integration-test (src/it/consumer): its jar, the
 * runtime dependencies Maven resolved for it (target/lib), and a way to run it with java.
 */
final class Consumer {
  static final Path DIR = Path.of(System.getProperty("aionet.consumer.dir"));
  static final Path JAR = DIR.resolve("target/consumer-1.0.jar");
  static final Path LIB = DIR.resolve("target/lib");
  static final String AIONET_VERSION = System.getProperty("aionet.version");
  static final String NETTY_VERSION = System.getProperty("aionet.netty.version");

  private Consumer() {}

  /** The jars Maven resolved for the consumer, by file name. */
  static List<Path> dependencyJars() throws IOException {
    try (Stream<Path> files = Files.list(LIB)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
  }

  /** What a finished java process printed. */
  record Run(int exitCode, String stdout, String stderr) {}

  /** Runs the JDK that runs this test with {@code args}, at most a minute. */
  static Run java(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("consumer", ".out");
    Path err = Files.createTempFile("consumer", ".err");
    try {
      Process p = new ProcessBuilder(command).directory(DIR.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(exited).as("%s finished within a minute", command).isTrue();
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The consumer jar and every dependency jar, as a module path. */
  static String modulePath() {
    return JAR + File.pathSeparator + LIB;
  }

  /** The consumer jar and every dependency jar, as a class path (the launcher expands lib/*). */
  static String classPath() {
    return JAR + File.pathSeparator + LIB.resolve("*");
  }

  /** True on the Linux machines the library ships epoll natives for (x86_64, aarch64). */
  static boolean epollExpected() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").startsWith("Linux")
        && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
  }
}

package dev.aionet.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A program run in a JVM of its own, on this test JVM's class path (minus what a test leaves
 * out, such as the SLF4J provider), its output read line by line as it comes.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Output stdout;
  private final Output stderr;
  private final PrintStream stdin;

  private ChildJvm(Process process) {
    this.process = process;
    this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.stdout = new Output(process.getInputStream());
    this.stderr = new Output(process.getErrorStream());
  }

  /**
   * Starts {@code main} in a new JVM.
   *
   * @param main the class whose {@code main} runs
   * @param leaveOut class path entries the child must not have (e.g. the logging backend)
   * @param jvmArgs options for the child JVM ({@code -Dname=value}...)
   * @param args the program's arguments
   * @return the running child
   * @throws IOException if it cannot start
   */
  public static ChildJvm start(Class<?> main, Predicate<String> leaveOut, List<String> jvmArgs, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(leaveOut.negate()).collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(java, "-cp", classPath));
    command.addAll(jvmArgs);
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).start());
  }

  /**
   * Waits for the child to exit.
   *
   * @param seconds at most this long
   * @return its exit status
   * @throws InterruptedException if interrupted
   * @throws AssertionError if it still runs then (it is killed)
   */
  public int exitStatus(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child JVM still ran after " + seconds + " s; stdout:\n" + stdout.text()
          + "\nstderr:\n" + stderr.text());
    }
    return process.exitValue();
  }

  /**
   * Everything the child wrote to stdout, once that stream ended.
   *
   * @return the lines, joined by newlines
   * @throws InterruptedException if interrupted
   */
  public String stdout() throws InterruptedException {
    return stdout.whole();
  }

  /**
   * Everything the child wrote to stderr, once that stream ended.
   *
   * @return the lines, joined by newlines
   * @throws InterruptedException if interrupted
   */
  public String stderr() throws InterruptedException {
    return stderr.whole();
  }

  /**
   * Waits until the child printed {@code line} on stdout.
   *
   * @param line the whole line
   * @param seconds at most this long
   * @throws InterruptedException if interrupted
   * @throws AssertionError if it did not
   */
  public void awaitLine(String line, long seconds) throws InterruptedException {
    if (!stdout.await(lines -> lines.contains(line), seconds * 1000)) {
      throw new AssertionError("the child did not print \"" + line + "\" within " + seconds + " s; stdout:\n"
          + stdout.text() + "\nstderr:\n" + stderr.text());
    }
  }

  /**
   * Waits until the child printed a line starting with {@code prefix} on stdout.
   *
   * @param prefix how the line starts
   * @param seconds at most this long
   * @return the first such line
   * @throws InterruptedException if interrupted
   * @throws AssertionError if it did not
   */
  public String awaitLineStartingWith(String prefix, long seconds) throws InterruptedException {
    Predicate<String> match = l -> l.startsWith(prefix);
    if (!stdout.await(lines -> lines.stream().anyMatch(match), seconds * 1000)) {
      throw new AssertionError("the child printed no line starting with \"" + prefix + "\" within " + seconds
          + " s; stdout:\n" + stdout.text() + "\nstderr:\n" + stderr.text());
    }
    return stdout.first(match);
  }

  /**
   * The child's standard input.
   *
   * @return a stream to it (closing it ends the child's input)
   */
  public PrintStream stdin() {
    return stdin;
  }

  /**
   * Sends the child a signal with {@code kill}.
   *
   * @param signal "INT" or "TERM"
   * @throws IOException if {@code kill} cannot run
   * @throws InterruptedException if interrupted
   */
  public void sendSignal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + signal + " failed");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** One of the child's streams, read line by line as it comes. */
  private static final class Output {
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    Output(InputStream in) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            add(line);
          }
        } catch (IOException e) {
          add("(output lost: " + e + ")");
        } finally {
          end();
        }
      }, "child-output");
      t.setDaemon(true);
      t.start();
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    private synchronized void end() {
      ended = true;
      notifyAll();
    }

    synchronized boolean await(Predicate<List<String>> done, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (!done.test(lines)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        wait(left);
      }
      return true;
    }

    synchronized String first(Predicate<String> match) {
      return lines.stream().filter(match).findFirst().orElseThrow();
    }

    synchronized String whole() throws InterruptedException {
      await(l -> ended, 10_000);
      return text();
    }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }
}

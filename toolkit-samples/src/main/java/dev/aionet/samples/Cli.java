package dev.aionet.samples;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * How the command-line samples treat errors, alike: a bad argument is one line naming the flag
 * and exit status 2; a failure while running (a refused connection, an address that does not
 * resolve) is one line and status 1; Ctrl-C ends the program with the signal's usual status
 * (130, 143) unless the sample handles it.
 */
final class Cli {
  private Cli() {}

  /**
   * Runs {@code command} with {@code args} and returns its exit status.
   *
   * @param name the program's name, the first word of each error line
   * @param command the picocli command
   * @param args the arguments
   * @return the exit status
   */
  static int run(String name, Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setParameterExceptionHandler((e, badArgs) -> {
      cli.getErr().println(name + ": " + e.getMessage() + " (see --help)");
      return 2;
    });
    cli.setExecutionExceptionHandler((e, failed, parsed) -> {
      if (e instanceof CancellationException) {
        // Ctrl-C cancelled the main task ("interrupted by SIGINT"): its cleanup ran; end with the
        // signal's usual status, quietly, as the JVM would have.
        String why = String.valueOf(e.getMessage());
        return why.endsWith("SIGINT") ? 130 : why.endsWith("SIGTERM") ? 143 : 1;
      }
      cli.getErr().println(name + ": " + describe(e));
      return 1;
    });
    return cli.execute(args);
  }

  /**
   * Throws the parameter error {@code message} about {@code flag} unless {@code ok}.
   *
   * @param ok whether the value is acceptable
   * @param command the command (picocli's error needs it)
   * @param flag the flag, e.g. {@code "--port"}
   * @param requirement what the value must be, e.g. {@code "between 0 and 65535"}
   * @param value the value given
   */
  static void require(boolean ok, Object command, String flag, String requirement, Object value) {
    if (!ok) {
      throw new CommandLine.ParameterException(new CommandLine(command),
          "Invalid value for option '" + flag + "': " + value + " (must be " + requirement + ")");
    }
  }

  /** Checks a port flag: 0 (any free port) only where {@code anyAllowed}. */
  static void requirePort(int port, boolean anyAllowed, Object command) {
    int lowest = anyAllowed ? 0 : 1;
    require(port >= lowest && port <= 0xFFFF, command, "--port", "between " + lowest + " and 65535", port);
  }

  /**
   * The failure on one line: the innermost exception that says something, as "Type: message".
   *
   * @param failure what went wrong (wrappers such as {@code CompletionException} are skipped)
   * @return one line
   */
  static String describe(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException
        || t instanceof CommandLine.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t.getMessage() == null) {
      return t.getClass().getName();
    }
    String message = t.getMessage().replace('\n', ' ');
    if (t instanceof java.net.ConnectException && message.contains("Connection refused")) {
      return "connection refused"; // the transport's own wording ("finishConnect(..) failed...") says no more
    }
    boolean plain = t.getClass() == java.io.IOException.class || t.getClass() == RuntimeException.class
        || t.getClass() == IllegalStateException.class || t.getClass() == IllegalArgumentException.class;
    return plain ? message : t.getClass().getSimpleName() + ": " + message;
  }
}

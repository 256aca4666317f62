package dev.aionet.core.internal;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.LoopError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * What a loop does with an error that reached no caller when the program set no exception
 * handler (asyncio's {@code default_exception_handler}).
 *
 * <p><b>Where it goes.</b> Through SLF4J, logger {@value #LOGGER}. With no SLF4J provider on the
 * class path (SLF4J would drop everything) it writes to {@code System.err} instead, one line per
 * error, as Python's {@code logging.lastResort} does: a library must not force a logging backend,
 * and an error must never vanish.
 *
 * <p><b>How loud.</b> A fault of one connection (an {@link IOException} such as a reset or a TLS
 * error, a timeout, a Netty decoder failure, anywhere in the cause chain, of an error that names
 * its channel) is what a bad or slow peer causes, not a bug of the program: one WARN line without
 * a stack trace, so a peer cannot flood the log. Anything else is an ERROR with its stack trace.
 * In debug mode every error carries its stack trace.
 */
final class DefaultExceptionHandler {
  /** The logger the default handler writes to. */
  static final String LOGGER = "dev.aionet.core.Loop";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private DefaultExceptionHandler() {}

  /**
   * Logs {@code error}.
   *
   * @param error the error
   * @param debug whether the loop is in debug mode (stack traces always)
   */
  static void handle(LoopError error, boolean debug) {
    handle(error, debug, log, System.err);
  }

  static void handle(LoopError error, boolean debug, Logger logger, PrintStream lastResort) {
    boolean connectionFault = isConnectionFault(error);
    Throwable stack = debug || !connectionFault ? error.exception() : null;
    String line = describe(error);
    if (logger instanceof NOPLogger) { // no SLF4J provider bound: SLF4J would drop it
      lastResort.print("aionet " + (connectionFault ? "WARN" : "ERROR") + ": " + line + System.lineSeparator()
          + (debug && error.exception() != null ? stackTrace(error.exception()) : ""));
    } else if (connectionFault) {
      if (stack != null) {
        logger.warn(line, stack);
      } else {
        logger.warn(line);
      }
    } else {
      logger.error(line, stack);
    }
  }

  /**
   * Whether {@code error} is one connection's fault: it names its channel, and its cause chain
   * holds an I/O error, a timeout or a decoder failure.
   */
  static boolean isConnectionFault(LoopError error) {
    if (error.channel().isEmpty()) {
      return false;
    }
    for (Throwable t = error.exception(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof AsyncTimeoutException || t instanceof io.netty.handler.timeout.TimeoutException
          || t instanceof io.netty.handler.codec.DecoderException) {
        return true;
      }
    }
    return false;
  }

  /** The error on one line: message, task, channel, the exception and its causes' summaries. */
  static String describe(LoopError error) {
    StringBuilder b = new StringBuilder(error.message());
    error.task().ifPresent(t -> b.append(" [task ").append(t.name()).append(']'));
    error.channel().ifPresent(c -> b.append(' ').append(c));
    String previous = null;
    for (Throwable t = error.exception(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      String summary = t.toString();
      if (previous == null || !previous.contains(summary)) {
        b.append(previous == null ? ": " : " (caused by ").append(summary).append(previous == null ? "" : ")");
      }
      previous = summary;
    }
    return b.toString().replace('\n', ' ').replace('\r', ' ');
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out, true));
    return out.toString();
  }
}

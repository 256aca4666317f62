package dev.aionet.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.LoopError;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/** How loud the default exception handler is, by what went wrong. */
class DefaultExceptionHandlerTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.aionet.test.default-handler");
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final PrintStream lastResort = new PrintStream(stderr, true, StandardCharsets.UTF_8);
  private final EmbeddedChannel channel = new EmbeddedChannel();

  @BeforeEach
  void capture() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
    channel.finishAndReleaseAll();
  }

  private static LoopError onConnection(Throwable t, EmbeddedChannel ch) {
    return new LoopError("Connection closed", t, Optional.empty(), Optional.of(ch));
  }

  private static Throwable fault(String kind) {
    return switch (kind) {
      case "reset" -> new IOException("Connection reset by peer");
      case "timeout" -> io.netty.handler.timeout.ReadTimeoutException.INSTANCE;
      case "idle" -> new AsyncTimeoutException("idle timeout: no bytes either way for PT1S");
      case "decoder" -> new TooLongFrameException("frame length exceeds 1024");
      default -> new IllegalStateException("wrapped", new IOException("broken pipe"));
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"reset", "timeout", "idle", "decoder", "wrapped I/O"})
  void aConnectionsFaultIsOneWarnLineWithoutAStackTrace(String kind) {
    DefaultExceptionHandler.handle(onConnection(fault(kind), channel), false, logger, lastResort);
    assertThat(log.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getThrowableProxy()).isNull();
      assertThat(e.getFormattedMessage()).startsWith("Connection closed " + channel).doesNotContain("\n")
          .contains(fault(kind).getClass().getName());
    });
  }

  @Test
  void inDebugModeAConnectionsFaultCarriesItsStackTrace() {
    DefaultExceptionHandler.handle(onConnection(new IOException("reset"), channel), true, logger, lastResort);
    assertThat(log.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getThrowableProxy().getMessage()).isEqualTo("reset");
    });
  }

  @Test
  void aBugIsAnErrorWithItsStackTraceEvenOnAConnection() {
    DefaultExceptionHandler.handle(onConnection(new IllegalStateException("bug"), channel), false, logger, lastResort);
    DefaultExceptionHandler.handle(LoopError.of("Exception in callback", new IOException("no channel")), false,
        logger, lastResort);
    assertThat(log.list).hasSize(2).allSatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.ERROR);
      assertThat(e.getThrowableProxy()).isNotNull();
    });
  }

  @Test
  void withoutAnSlf4jProviderEachErrorIsOneLineOnStderr() {
    DefaultExceptionHandler.handle(onConnection(new IOException("reset"), channel), false,
        NOPLogger.NOP_LOGGER, lastResort);
    DefaultExceptionHandler.handle(LoopError.of("Exception in callback", new IllegalStateException("bug")), false,
        NOPLogger.NOP_LOGGER, lastResort);
    assertThat(stderr.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "aionet WARN: Connection closed " + channel + ": java.io.IOException: reset",
        "aionet ERROR: Exception in callback: java.lang.IllegalStateException: bug");
  }
}

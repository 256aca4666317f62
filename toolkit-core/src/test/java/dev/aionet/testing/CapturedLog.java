package dev.aionet.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * What one logger writes during a test, captured instead of printed (so a passing build shows no
 * warning it provoked on purpose). Open it before the test's work, close it after.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLog(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  /** Starts capturing what the logger named {@code loggerName} writes. */
  public static CapturedLog of(String loggerName) {
    return new CapturedLog(loggerName);
  }

  /** The WARN messages captured so far that contain {@code text}, formatted, in order. */
  public List<String> warnings(String text) {
    return appender.list.stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text))
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
  }

  /** Stops capturing: the logger prints through its parents again. */
  @Override
  public void close() {
    logger.setAdditive(true);
    logger.detachAppender(appender);
  }
}

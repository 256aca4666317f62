package dev.aionet.core;

import io.netty.channel.Channel;
import java.util.Optional;

/**
 * An error that reached no caller, as the loop's exception handler receives it: asyncio's
 * exception-handler context dictionary.
 *
 * @param message what happened, e.g. {@code "Task exception was never retrieved"}
 * @param exception the original throwable, unwrapped; may be {@code null} for a message-only report
 * @param task the task the error arose in, when there is one
 * @param channel the connection the error concerns, when there is one
 * @since 0.1
 */
public record LoopError(String message, Throwable exception, Optional<Task<?>> task, Optional<Channel> channel) {
  /**
   * Checks the components.
   *
   * @param message what happened
   * @param exception the throwable or {@code null}
   * @param task the task, never {@code null} (use {@link Optional#empty()})
   * @param channel the channel, never {@code null} (use {@link Optional#empty()})
   */
  public LoopError {
    java.util.Objects.requireNonNull(message, "message");
    java.util.Objects.requireNonNull(task, "task");
    java.util.Objects.requireNonNull(channel, "channel");
  }

  /**
   * An error with no task and no channel.
   *
   * @param message what happened
   * @param exception the throwable
   * @return the error
   */
  public static LoopError of(String message, Throwable exception) {
    return new LoopError(message, exception, Optional.empty(), Optional.empty());
  }
}

package dev.aionet.streams;

import java.util.Objects;

/**
 * A connection's pipeline delivered a message its reader cannot take: an object of a type other
 * than the {@link Codec}'s {@link Codec#inbound() inbound} type to a {@link MessageReader}, or
 * anything but bytes ({@code ByteBuf}) to a {@link StreamReader} (a decoder in front of the byte
 * streams: use {@link Messages} for decoded messages). The message is released, the reads fail with
 * this exception, the error is reported once to the loop's exception handler, and the connection is
 * closed.
 *
 * @since 0.2
 */
public final class UnexpectedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The class of the message, not serialized. */
  private final transient Class<?> messageType;

  /**
   * Creates the exception.
   *
   * @param messageType the class of the message that arrived
   * @param message what was expected instead
   */
  public UnexpectedMessageException(Class<?> messageType, String message) {
    super(message);
    this.messageType = Objects.requireNonNull(messageType, "messageType");
  }

  /**
   * The class of the message that arrived.
   *
   * @return the class
   */
  public Class<?> messageType() {
    return messageType;
  }
}

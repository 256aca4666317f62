package dev.aionet.streams;

import java.io.EOFException;
import java.util.OptionalInt;

/**
 * EOF came before a read was satisfied: asyncio's {@code IncompleteReadError}.
 *
 * <p>Raised by {@link StreamReader#readExactly(int)} (with the {@linkplain #expected() expected}
 * byte count) and {@link StreamReader#readUntil(byte[])} (no expected count). The bytes read
 * before EOF are in {@link #partial()}; the reader's buffer is empty afterwards.
 *
 * @since 0.1
 */
public class IncompleteReadException extends EOFException {
  private static final long serialVersionUID = 1L;

  /** The bytes read before EOF. */
  private final byte[] partial;
  /** The number of bytes the read wanted, or null when undefined. */
  private final Integer expected;

  /**
   * Creates the exception.
   *
   * @param partial the bytes read before EOF (copied)
   * @param expected the number of bytes the read wanted, or empty when undefined
   */
  public IncompleteReadException(byte[] partial, OptionalInt expected) {
    super(partial.length + " bytes read on a total of "
        + (expected.isPresent() ? expected.getAsInt() : "undefined") + " expected bytes");
    this.partial = partial.clone();
    this.expected = expected.isPresent() ? expected.getAsInt() : null;
  }

  /**
   * Returns a copy of the bytes read before EOF (they may hold part of a separator).
   *
   * @return a new array each call
   */
  public byte[] partial() {
    return partial.clone();
  }

  /**
   * Returns how many bytes the read wanted: present for {@code readExactly}, empty for
   * {@code readUntil}.
   *
   * @return the expected count
   */
  public OptionalInt expected() {
    return expected == null ? OptionalInt.empty() : OptionalInt.of(expected);
  }
}

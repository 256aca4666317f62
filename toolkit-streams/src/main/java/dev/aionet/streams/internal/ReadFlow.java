package dev.aionet.streams.internal;

/**
 * What the reader's buffer asks of the socket: asyncio's {@code pause_reading} /
 * {@code resume_reading}. The {@link StreamAdapter} implements it with Netty's {@code autoRead}.
 */
interface ReadFlow {
  /** Stops reading from the socket. */
  void pauseReading();

  /** Reads from the socket again. */
  void resumeReading();
}

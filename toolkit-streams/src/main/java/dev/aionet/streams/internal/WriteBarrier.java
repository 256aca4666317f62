package dev.aionet.streams.internal;

/**
 * A write that carries no bytes and completes once everything written before it has reached
 * the socket: what {@code close()} waits for before it closes (Netty's own {@code close()} would
 * fail writes still queued). On a byte connection it is an empty buffer. On a message connection
 * an empty buffer would go through the codec's encoders (a length-prefix encoder would send an
 * empty frame), so the writer sends {@link #INSTANCE} instead, which no encoder takes, and
 * {@link CodecBytes}, placed before the codec, turns it into the empty buffer.
 */
final class WriteBarrier {
  /** The barrier a message connection writes. */
  static final WriteBarrier INSTANCE = new WriteBarrier();

  private WriteBarrier() {}

  @Override
  public String toString() {
    return "WriteBarrier";
  }
}

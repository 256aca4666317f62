package dev.aionet.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of {@link OpenLoopLoad}, on a plain non-blocking {@link SocketChannel}: requests
 * are appended to its output when the schedule says, however many are still unanswered (an echo
 * server answers them in order), and each response is matched to its request by byte count.
 * Every echoed byte is checked against {@link EchoPattern}. Confined to the load's thread.
 */
final class OpenLoopConnection {
  private static final Logger log = LoggerFactory.getLogger(OpenLoopConnection.class);

  final int id;
  private final SocketChannel channel;
  private final SelectionKey key;
  private final int size;
  /** Where this connection's byte stream starts in the pattern. */
  private final long streamStart;
  /** Bytes the schedule asked for, bytes written to the socket, bytes echoed and checked. */
  private long scheduledBytes;
  private long sentBytes;
  private long receivedBytes;
  /** The intended send times of the requests not answered yet, oldest first (a ring). */
  private long[] intended = new long[64];
  private int head;
  private int unanswered;
  /** The socket took less than asked: the rest waits until it is writable. */
  private boolean waitingToWrite;

  OpenLoopConnection(int id, SocketChannel channel, SelectionKey key, int size) {
    this.id = id;
    this.channel = channel;
    this.key = key;
    this.size = size;
    this.streamStart = EchoPattern.requestPosition(id, 0);
  }

  /** Requests not answered yet. */
  int unanswered() {
    return unanswered;
  }

  /** Sends one more request, meant to leave at {@code intendedNanos}, now or as soon as the socket takes it. */
  void send(long intendedNanos) throws IOException {
    if (unanswered == intended.length) {
      intended = Arrays.copyOf(unrolled(), intended.length * 2);
      head = 0;
    }
    intended[(head + unanswered) % intended.length] = intendedNanos;
    unanswered++;
    scheduledBytes += size;
    flush();
  }

  private long[] unrolled() {
    long[] out = new long[unanswered];
    for (int i = 0; i < unanswered; i++) {
      out[i] = intended[(head + i) % intended.length];
    }
    return out;
  }

  /** Writes what the schedule asked for until the socket takes no more; then waits to be writable. */
  void flush() throws IOException {
    while (sentBytes < scheduledBytes) {
      ByteBuffer out = EchoPattern.slice(streamStart + sentBytes, (int) Math.min(scheduledBytes - sentBytes, 1 << 20));
      sentBytes += channel.write(out);
      if (out.hasRemaining()) {
        waitForWritable(true);
        return;
      }
    }
    waitForWritable(false);
  }

  /** Changes the selector's interest only when it changes (each change is queued for the selector). */
  private void waitForWritable(boolean waiting) {
    if (waiting != waitingToWrite) {
      waitingToWrite = waiting;
      key.interestOps(waiting ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }
  }

  /**
   * Reads what arrived into {@code buffer}, checks it, and hands every request it completes to
   * {@code answered} with its intended send time.
   *
   * @return null, or what went wrong (the connection is then useless); at EOF the connection
   *     leaves the selector
   */
  String read(ByteBuffer buffer, Answered answered) throws IOException {
    buffer.clear();
    int n = channel.read(buffer);
    if (n < 0) {
      key.cancel();
      return unanswered > 0 ? "closed by the server with " + unanswered + " request(s) unanswered" : null;
    }
    buffer.flip();
    if (receivedBytes + n > sentBytes) {
      return (receivedBytes + n) + " bytes came back, " + sentBytes + " were sent";
    }
    int bad = EchoPattern.firstMismatch(buffer, streamStart + receivedBytes);
    if (bad >= 0) {
      long at = receivedBytes + bad;
      return String.format("request %d, byte %d: expected 0x%02x, got 0x%02x", at / size, at % size,
          EchoPattern.at(streamStart + at), buffer.get(bad));
    }
    long answeredBefore = receivedBytes / size;
    receivedBytes += n;
    for (long r = answeredBefore; r < receivedBytes / size; r++) {
      long sentAt = intended[head];
      head = (head + 1) % intended.length;
      unanswered--;
      answered.request(sentAt);
    }
    return null;
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing connection {}: {}", id, e.toString()); // the run is over: nothing to count
    }
  }

  /** Receives each answered request's intended send time. */
  interface Answered {
    void request(long intendedNanos);
  }
}

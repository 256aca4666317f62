package dev.aionet.streams;

import dev.aionet.core.Coroutine;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Transport;
import dev.aionet.testing.RecordingLoop;
import io.netty.channel.epoll.Epoll;
import java.util.stream.Stream;

/** A {@link RecordingLoop} over one transport, the streams tests' loop. */
public final class TestLoop extends RecordingLoop {
  private final Transport transport;

  private TestLoop(Transport transport, int threads, boolean debug) {
    super(LoopOptions.builder().transport(transport).threads(threads).debug(debug).build());
    this.transport = transport;
  }

  /** Every transport this machine has: NIO, and epoll where available. */
  public static Stream<Transport> transports() {
    return Epoll.isAvailable() ? Stream.of(Transport.NIO, Transport.EPOLL) : Stream.of(Transport.NIO);
  }

  public static TestLoop create(Transport transport) {
    return new TestLoop(transport, 1, false);
  }

  public static TestLoop create(Transport transport, int threads) {
    return new TestLoop(transport, threads, false);
  }

  public static TestLoop debug(Transport transport) {
    return new TestLoop(transport, 1, true);
  }

  public Transport transport() {
    return transport;
  }

  /** Runs {@code main} as a task on the loop and waits for its value. */
  public <T> T run(Coroutine<T> main) {
    return loop().runUntilComplete(main);
  }
}

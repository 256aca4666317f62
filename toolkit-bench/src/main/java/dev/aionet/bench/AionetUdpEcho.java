package dev.aionet.bench;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.samples.UdpEcho;
import dev.aionet.streams.DatagramEndpoint;
import dev.aionet.streams.Datagrams;
import java.time.Duration;

/** aionet's UDP echo (the {@code UdpEcho} sample's receive/send loop) on a one-thread loop. */
final class AionetUdpEcho implements UdpEchoTarget {
  private final Loop loop;
  private final DatagramEndpoint endpoint;
  private final Promise<Void> serving;
  private final long threadId;

  AionetUdpEcho(NettyTransport transport) {
    loop = Loop.create(LoopOptions.builder().threads(1)
        .transport(transport == NettyTransport.EPOLL ? Transport.EPOLL : Transport.NIO).build());
    endpoint = loop.runUntilComplete(() -> Datagrams.bind("127.0.0.1", 0));
    serving = loop.submit(() -> UdpEcho.serve(endpoint));
    threadId = loop.submit(() -> Promise.completed(Thread.currentThread().getId())).join();
  }

  @Override
  public int port() {
    return endpoint.localAddress().getPort();
  }

  @Override
  public long threadId() {
    return threadId;
  }

  @Override
  public void close() {
    endpoint.close();
    serving.join(Duration.ofSeconds(5));
    loop.close();
  }
}

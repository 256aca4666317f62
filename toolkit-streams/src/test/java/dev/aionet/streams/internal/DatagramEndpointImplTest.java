package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.Datagram;
import dev.aionet.streams.DatagramOptions;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The datagram handler on an {@link EmbeddedChannel} driven from a loop thread: every packet
 * that reaches it is released, whether it is queued (as a copy), dropped or not a packet at all.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DatagramEndpointImplTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4242);
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5353);

  private static void onLoop(Callable<Void> body) {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> Promise.completed(body.call()));
    }
  }

  private static DatagramEndpointImpl install(EmbeddedChannel ch, DatagramOptions options) {
    DatagramEndpointImpl endpoint = new DatagramEndpointImpl(ch, LoopThread.require(), options, null, null);
    ch.pipeline().addLast(DatagramEndpointImpl.NAME, endpoint);
    return endpoint;
  }

  private static DatagramPacket packet(int size) {
    return new DatagramPacket(Unpooled.directBuffer(size).writeZero(size), LOCAL, PEER);
  }

  @Test
  void aReceivedPacketIsCopiedAndReleasedAtOnce() {
    onLoop(() -> {
      EmbeddedChannel ch = new EmbeddedChannel();
      DatagramEndpointImpl endpoint = install(ch, DatagramOptions.defaults());
      DatagramPacket p = packet(100);
      ch.writeInbound(p);
      assertThat(p.refCnt()).isZero();
      Datagram d = endpoint.receive().result();
      assertThat(d.data()).hasSize(100);
      assertThat(d.sender()).isEqualTo(PEER);
      ch.finishAndReleaseAll();
      return null;
    });
  }

  @Test
  void packetsBeyondTheQueueOrTheSizeAreReleasedAndCounted() {
    onLoop(() -> {
      EmbeddedChannel ch = new EmbeddedChannel();
      DatagramEndpointImpl endpoint = install(ch, DatagramOptions.builder().receiveQueue(2).maxDatagramSize(50).build());
      DatagramPacket tooLong = packet(51);
      ch.writeInbound(tooLong);
      assertThat(tooLong.refCnt()).isZero();
      DatagramPacket[] packets = {packet(1), packet(2), packet(3)};
      for (DatagramPacket p : packets) {
        ch.writeInbound(p);
        assertThat(p.refCnt()).isZero();
      }
      assertThat(endpoint.dropped()).isEqualTo(2);
      assertThat(endpoint.queued()).isEqualTo(2);
      assertThat(endpoint.receive().result().data()).hasSize(1);
      assertThat(endpoint.receive().result().data()).hasSize(2);
      ch.finishAndReleaseAll();
      return null;
    });
  }

  @Test
  void somethingOtherThanAPacketIsReleased() {
    onLoop(() -> {
      EmbeddedChannel ch = new EmbeddedChannel();
      DatagramEndpointImpl endpoint = install(ch, DatagramOptions.defaults());
      ByteBuf stray = Unpooled.buffer(8).writeLong(1);
      ch.writeInbound(stray);
      assertThat(stray.refCnt()).isZero();
      assertThat(endpoint.queued()).isZero();
      ch.finishAndReleaseAll();
      return null;
    });
  }

  @Test
  void anIoErrorFailsTheNextReceiveOnlyAndTheChannelStaysOpen() {
    onLoop(() -> {
      EmbeddedChannel ch = new EmbeddedChannel();
      DatagramEndpointImpl endpoint = install(ch, DatagramOptions.defaults());
      ch.pipeline().fireExceptionCaught(new PortUnreachableException("ICMP port unreachable"));
      assertThat(endpoint.receive().exception()).isInstanceOf(PortUnreachableException.class);
      assertThat(ch.isOpen()).isTrue();
      Promise<Datagram> next = endpoint.receive();
      assertThat(next.isDone()).isFalse();
      ch.writeInbound(packet(7));
      assertThat(next.result().data()).hasSize(7);
      ch.close();
      assertThat(endpoint.receive().result()).isNull();
      ch.finishAndReleaseAll();
      return null;
    });
  }

  @Test
  void anotherErrorGoesToTheLoopsExceptionHandler() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.expect(e -> e.exception() instanceof IllegalStateException && e.message().contains("DatagramEndpoint"));
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        DatagramEndpointImpl endpoint = install(ch, DatagramOptions.defaults());
        ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug in a handler"));
        Promise<Datagram> pending = endpoint.receive();
        assertThat(pending.isDone()).as("not an I/O error: receives are not failed").isFalse();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
      assertThat(t.errors()).hasSize(1);
    }
  }
}

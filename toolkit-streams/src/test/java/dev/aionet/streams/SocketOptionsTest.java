package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TCP connections are set up as asyncio sets them up. */
@Timeout(30)
class SocketOptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void tcpNoDelayIsOnForServerAndClientConnections(Transport transport) {
    // asyncio: base_events._set_nodelay on every TCP transport, so small writes are not held back
    try (TestLoop t = TestLoop.create(transport)) {
      CompletablePromise<Boolean> serverSide = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        serverSide.complete(writer.channel().config().getOption(ChannelOption.TCP_NODELAY));
        writer.close();
        return Promise.completed(null);
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      assertThat(c.writer().channel().config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
      assertThat(serverSide.join(WAIT)).isTrue();
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}

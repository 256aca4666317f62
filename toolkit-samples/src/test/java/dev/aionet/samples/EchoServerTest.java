package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Promise;
import dev.aionet.streams.Connection;
import dev.aionet.streams.Server;
import dev.aionet.streams.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's echo handler, in process: read(100), write, drain until EOF; then close. */
@Timeout(60)
class EchoServerTest {

  @ParameterizedTest
  @ValueSource(strings = {"await", "callbacks"})
  void theSeedsHandlerEchoesEveryByteForManyClientsAtOnceInEitherStyle(String style) {
    try (Loop loop = Loop.create(LoopOptions.builder().threads(2).build())) {
      Server server = loop.runUntilComplete(() -> Streams.startServer(
          (reader, writer) -> style.equals("await") ? EchoServer.echoAwait(reader, writer, 100)
              : EchoServer.echo(reader, writer, 100), "127.0.0.1", 0));
      List<Boolean> sameBytes = loop.runUntilComplete(() -> {
        List<Promise<Boolean>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          byte[] payload = new byte[64 * 1024 + i];
          new Random(i).nextBytes(payload);
          clients.add(Streams.openConnection("127.0.0.1", server.port()).thenCompose(c -> roundTrip(c, payload)));
        }
        return Aio.gather(clients);
      });
      assertThat(sameBytes).hasSize(20).containsOnly(true);
      server.close();
      server.waitClosed().join(Duration.ofSeconds(10));
      assertThat(server.connectionCount()).isZero();
    }
  }

  private static Promise<Boolean> roundTrip(Connection c, byte[] payload) {
    c.writer().write(payload);
    c.writer().writeEof(); // the handler sees EOF after the payload and closes its side
    return c.reader().read(-1).thenApply(back -> java.util.Arrays.equals(back, payload))
        .whenComplete((v, e) -> c.writer().close());
  }

  @Test
  void echoClientSendsAMessageAndChecksTheEcho() throws Exception {
    try (Loop loop = Loop.create()) {
      Server server = loop.runUntilComplete(() -> Streams.startServer(
          (reader, writer) -> EchoServer.echo(reader, writer, 100), "127.0.0.1", 0));
      List<String> one = SampleOutput.linesOf(() -> EchoClient.main("--port", String.valueOf(server.port()),
          "--message", "Ciao, mondo!"));
      assertThat(one).containsExactly("Ciao, mondo!");
      List<String> load = SampleOutput.linesOf(() -> EchoClient.main("--port", String.valueOf(server.port()),
          "--message", "x".repeat(500), "--count", "50", "--concurrency", "4"));
      assertThat(load).singleElement().asString().startsWith("200 echoes of 501 bytes over 4 connections");
      server.close();
    }
  }
}

package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer's TLS {@code close_notify} is the end of input, and closing answers with aionet's own,
 * as asyncio's SSL transport: CPython's asyncio over its {@code ssl} module as the peer, both
 * ways. asyncio's {@code writer.close()} sends close_notify and waits (30 s by default) for the
 * answer; it must come at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsCloseNotifyTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static SelfSignedCertificate cert;
  private static SslContext serverContext;
  private static SslContext clientContext;

  /** Echo 200 KiB over TLS, close, and print how long wait_closed() took. */
  private static final String CLIENT = String.join("\n",
      "import asyncio, ssl, sys, time",
      "async def main(port, cafile):",
      "    ctx = ssl.create_default_context(cafile=cafile)",
      "    r, w = await asyncio.open_connection('127.0.0.1', port, ssl=ctx, server_hostname='localhost')",
      "    data = bytes(range(256)) * 800",
      "    w.write(data)",
      "    await w.drain()",
      "    back = await r.readexactly(len(data))",
      "    assert back == data",
      "    t0 = time.monotonic()",
      "    w.close()",
      "    await w.wait_closed()",
      "    print('OK %.3f' % (time.monotonic() - t0), flush=True)",
      "asyncio.run(main(int(sys.argv[1]), sys.argv[2]))",
      "");

  /** An asyncio TLS echo server; prints its port, then for each connection how long its close took. */
  private static final String SERVER = String.join("\n",
      "import asyncio, ssl, sys, time",
      "async def handle(r, w):",
      "    while True:",
      "        data = await r.read(65536)",
      "        if not data:",
      "            break",
      "        w.write(data)",
      "        await w.drain()",
      "    t0 = time.monotonic()",
      "    w.close()",
      "    await w.wait_closed()",
      "    print('CLOSED %.3f' % (time.monotonic() - t0), flush=True)",
      "async def main(certfile, keyfile):",
      "    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)",
      "    ctx.load_cert_chain(certfile, keyfile)",
      "    server = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=ctx)",
      "    print(server.sockets[0].getsockname()[1], flush=True)",
      "    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)",
      "    server.close()",
      "    await server.wait_closed()",
      "asyncio.run(main(sys.argv[1], sys.argv[2]))",
      "");

  @BeforeAll
  static void needsPythonSsl() throws Exception {
    PythonPeer.assumePresent("asyncio, ssl");
    cert = new SelfSignedCertificate("localhost");
    serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
    clientContext = SslContextBuilder.forClient().trustManager(cert.certificate()).build();
  }

  @AfterAll
  static void deleteCertificate() {
    if (cert != null) {
      cert.delete();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anAsyncioTlsClientsCloseIsAnsweredAtOnce(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0,
          ServerOptions.builder().ssl(serverContext).build()));
      Process python = new ProcessBuilder("python3", "-c", CLIENT, Integer.toString(server.port()),
          cert.certificate().getPath()).redirectErrorStream(true).start();
      try {
        assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("python finished").isTrue();
        String output = new String(python.getInputStream().readAllBytes(), UTF_8).strip();
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).startsWith("OK ");
        double closeSeconds = Double.parseDouble(output.substring(3));
        // Without an answer asyncio waits 30 s and fails with "SSL shutdown timed out".
        assertThat(closeSeconds).as("asyncio's close took %s s", closeSeconds).isLessThan(5.0);
      } finally {
        python.destroyForcibly();
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anAionetTlsClientClosesCleanlyWithAnAsyncioTlsServer(Transport transport) throws Exception {
    Process python = new ProcessBuilder("python3", "-c", SERVER, cert.certificate().getPath(),
        cert.privateKey().getPath()).redirectErrorStream(true).start();
    try (TestLoop t = TestLoop.create(transport)) {
      BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), UTF_8));
      int port = Integer.parseInt(out.readLine().trim());
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", port,
          ClientOptions.builder().ssl(clientContext).serverHostname("localhost").build()));
      byte[] data = new byte[200 * 1024];
      new java.util.Random(5).nextBytes(data);
      c.writer().write(data);
      assertThat(c.reader().readExactly(data.length).join(WAIT)).isEqualTo(data);
      long start = System.nanoTime();
      c.writer().close(); // close_notify: asyncio's reader sees EOF, its handler closes and answers
      c.writer().waitClosed().join(WAIT);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("closed on asyncio's close_notify, not after the 2 s linger").isLessThan(Duration.ofMillis(1900));
      String closed = out.readLine();
      assertThat(closed).startsWith("CLOSED ");
      assertThat(Double.parseDouble(closed.substring(7))).as("asyncio's side of the close").isLessThan(5.0);
      python.getOutputStream().close();
      assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } finally {
      python.destroyForcibly();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aPeerThatSentCloseNotifyStillGetsTheReplyThenCloseNotify(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      // reads to EOF (the client's close_notify), then replies and closes
      ClientHandler replyAfterEof = (reader, writer) -> reader.read(-1).thenCompose(all -> {
        writer.write(("got " + all.length).getBytes(UTF_8));
        writer.close();
        return Promise.completed(null);
      });
      Server server = t.run(() -> Streams.startServer(replyAfterEof, "127.0.0.1", 0,
          ServerOptions.builder().ssl(serverContext).build()));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().ssl(clientContext).serverHostname("localhost").build()));
      c.writer().write(new byte[5000]);
      io.netty.handler.ssl.SslHandler ssl = c.writer().channel().pipeline().get(io.netty.handler.ssl.SslHandler.class);
      io.netty.channel.Channel ch = c.writer().channel();
      ch.eventLoop().execute(() -> ch.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(flushed -> ssl.closeOutbound())); // the data, then close_notify; and keep reading
      assertThat(new String(c.reader().read(-1).join(WAIT), UTF_8))
          .as("the reply, then EOF at the server's close_notify").isEqualTo("got 5000");
      c.writer().close();
      c.writer().waitClosed().join(WAIT);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}

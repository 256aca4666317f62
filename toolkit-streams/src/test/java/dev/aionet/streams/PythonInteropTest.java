package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with a peer no one here wrote: CPython's own asyncio streams (python3 3.11 on these
 * machines; only APIs that 3.8+ has), as a client of an aionet server and as a server for an
 * aionet client, exchanging lines and 3 MiB byte-exact.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int BULK = 3 << 20;

  /** Sends 100 lines and reads each echo, then 3 MiB in 64 KiB writes with drain, half-closes, reads to EOF. */
  private static final String CLIENT = String.join("\n",
      "import asyncio, hashlib, random, sys",
      "async def main(port):",
      "    r, w = await asyncio.open_connection('127.0.0.1', port)",
      "    for i in range(100):",
      "        line = ('line %d \\u00e9\\n' % i).encode('utf-8')",
      "        w.write(line)",
      "        await w.drain()",
      "        back = await r.readline()",
      "        assert back == line, (back, line)",
      "    data = random.Random(42).randbytes(" + BULK + ")",
      "    async def send():",
      "        for i in range(0, len(data), 65536):",
      "            w.write(data[i:i + 65536])",
      "            await w.drain()",
      "        w.write_eof()",
      "    sender = asyncio.ensure_future(send())",
      "    back = await r.read()",
      "    await sender",
      "    assert back == data, (len(back), len(data))",
      "    w.close()",
      "    await w.wait_closed()",
      "    print('OK', hashlib.sha256(back).hexdigest(), flush=True)",
      "asyncio.run(main(int(sys.argv[1])))",
      "");

  /** An asyncio echo server; prints its port, serves until stdin closes. */
  private static final String SERVER = String.join("\n",
      "import asyncio, sys",
      "async def handle(r, w):",
      "    while True:",
      "        data = await r.read(65536)",
      "        if not data:",
      "            break",
      "        w.write(data)",
      "        await w.drain()",
      "    w.close()",
      "    await w.wait_closed()",
      "async def main():",
      "    server = await asyncio.start_server(handle, '127.0.0.1', 0)",
      "    print(server.sockets[0].getsockname()[1], flush=True)",
      "    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)",
      "    server.close()",
      "    await server.wait_closed()",
      "asyncio.run(main())",
      "");

  @BeforeAll
  static void needsPython() {
    PythonPeer.assumePresent("asyncio, random");
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void pythonAsyncioClientTalksToAnAionetServer(Transport transport) throws Exception {
    AtomicLong echoed = new AtomicLong();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> Echo.countingEcho(reader, writer, echoed),
          "127.0.0.1", 0));
      Process python = new ProcessBuilder("python3", "-c", CLIENT, Integer.toString(server.port()))
          .redirectErrorStream(true).start();
      try {
        assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("python finished").isTrue();
        String output = new String(python.getInputStream().readAllBytes(), UTF_8);
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).startsWith("OK ");
      } finally {
        python.destroyForcibly();
      }
      server.shutdown(WAIT).join(WAIT);
    }
    long lines = 0;
    for (int i = 0; i < 100; i++) {
      lines += ("line " + i + " \u00e9\n").getBytes(UTF_8).length;
    }
    assertThat(echoed.get()).isEqualTo(lines + BULK);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anAionetClientTalksToAPythonAsyncioServer(Transport transport) throws Exception {
    Process python = new ProcessBuilder("python3", "-c", SERVER).redirectErrorStream(true).start();
    try (TestLoop t = TestLoop.create(transport)) {
      BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), US_ASCII));
      int port = Integer.parseInt(out.readLine().trim());
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", port));
      for (String line : List.of("hello asyncio", "caf\u00e9 \u00fcber", "")) {
        c.writer().write(line + "\r\n", UTF_8);
        assertThat(c.reader().readLine(UTF_8).join(WAIT)).isEqualTo(line);
      }
      byte[] bulk = new byte[BULK];
      new Random(42).nextBytes(bulk);
      byte[] back = t.run(() -> {
        Promise<byte[]> received = Echo.readAll(c.reader(), new ByteArrayOutputStream());
        return sendAll(c.writer(), bulk, 0).thenCompose(x -> received);
      });
      assertThat(back.length).isEqualTo(BULK);
      assertThat(Arrays.equals(back, bulk)).as("byte-exact").isTrue();
      c.writer().close();
      c.writer().waitClosed().join(WAIT);
      python.getOutputStream().close();
      assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(python.exitValue()).isZero();
    } finally {
      python.destroyForcibly();
    }
  }

  private static Promise<Void> sendAll(StreamWriter writer, byte[] data, int from) {
    if (from >= data.length) {
      writer.writeEof();
      return Promise.completed(null);
    }
    int n = Math.min(65536, data.length - from);
    writer.write(Arrays.copyOfRange(data, from, from + n));
    return writer.drain().thenCompose(x -> sendAll(writer, data, from + n));
  }
}

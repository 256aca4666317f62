package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with CPython's own {@code loop.create_datagram_endpoint} (python3 3.11 stdlib): an
 * aionet echo endpoint answering Python, and a Python echo answering aionet, 10,000 datagrams of
 * mixed sizes (1 byte to 65,507) each way, every one echoed byte-exact. Both sides keep at most
 * 16 datagrams and 150 KB in flight, so the kernel's socket buffers never overflow (on loopback
 * nothing is lost then, and a lost datagram fails the test by timing out).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DatagramPythonInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int COUNT = 10_000;
  private static final int[] SIZES = {1, 4, 64, 512, 1_400, 2_049, 9_000, 65_507};
  private static final int WINDOW = 16;
  private static final int WINDOW_BYTES = 150_000;

  /** Sends COUNT datagrams to an echo at argv[1]:argv[2], checks each echo, prints OK and the count. */
  private static final String CLIENT = String.join("\n",
      "import asyncio, random, sys",
      "SIZES = " + Arrays.toString(SIZES),
      "def payload(i):",
      "    n = SIZES[i % len(SIZES)]",
      "    data = random.Random(i).randbytes(n)",
      "    return i.to_bytes(4, 'big') + data[4:] if n >= 4 else data",
      "class Client(asyncio.DatagramProtocol):",
      "    def __init__(self, q): self.q = q",
      "    def datagram_received(self, data, addr): self.q.put_nowait(data)",
      "    def error_received(self, exc): self.q.put_nowait(exc)",
      "async def main(host, port, count):",
      "    q = asyncio.Queue()",
      "    tr, _ = await asyncio.get_running_loop().create_datagram_endpoint(",
      "        lambda: Client(q), remote_addr=(host, port))",
      "    sent = got = flight = 0",
      "    seen = set()",
      "    pending = {}",
      "    while got < count:",
      "        while sent < count and sent - got < " + WINDOW + " and (flight == 0 or flight + SIZES[sent % len(SIZES)] <= "
          + WINDOW_BYTES + "):",
      "            p = pending[sent] = payload(sent)",
      "            tr.sendto(p)",
      "            flight += len(p)",
      "            sent += 1",
      "        data = await asyncio.wait_for(q.get(), 20)",
      "        if isinstance(data, Exception): raise data",
      "        i = int.from_bytes(data[:4], 'big') if len(data) >= 4 else next(",
      "            j for j in range(got, sent) if SIZES[j % len(SIZES)] == len(data) and j not in seen)",
      "        assert data == pending.pop(i) and i not in seen, i",
      "        seen.add(i)",
      "        flight -= len(data)",
      "        got += 1",
      "    tr.close()",
      "    print('OK', got, flush=True)",
      "asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))",
      "");

  /** A datagram echo at (argv[1], 0); prints its port, serves until stdin closes, prints the count. */
  private static final String SERVER = String.join("\n",
      "import asyncio, sys",
      "class Echo(asyncio.DatagramProtocol):",
      "    count = 0",
      "    def connection_made(self, tr): self.tr = tr",
      "    def datagram_received(self, data, addr):",
      "        Echo.count += 1",
      "        self.tr.sendto(data, addr)",
      "async def main(host):",
      "    tr, _ = await asyncio.get_running_loop().create_datagram_endpoint(Echo, local_addr=(host, 0))",
      "    print(tr.get_extra_info('sockname')[1], flush=True)",
      "    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)",
      "    tr.close()",
      "    print('ECHOED', Echo.count, flush=True)",
      "asyncio.run(main(sys.argv[1]))",
      "");

  @BeforeAll
  static void needsPython() {
    PythonPeer.assumePresent("asyncio, random");
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void pythonAsyncioTalksToAnAionetEchoEndpoint(Transport transport, String host) throws Exception {
    AtomicLong echoed = new AtomicLong();
    try (TestLoop t = TestLoop.create(transport)) {
      DatagramEndpoint echo = t.run(() -> Datagrams.bind(host, 0));
      Promise<Void> serving = t.run(() -> Promise.completed(Aio.repeatWhile(() -> echo.receive().thenApply(d -> {
        if (d == null) {
          return false;
        }
        echoed.incrementAndGet();
        echo.send(d.data(), d.sender());
        return true;
      }))));
      Process python = new ProcessBuilder("python3", "-c", CLIENT, host,
          Integer.toString(echo.localAddress().getPort()), Integer.toString(COUNT)).redirectErrorStream(true).start();
      try {
        assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("python finished").isTrue();
        String output = new String(python.getInputStream().readAllBytes(), UTF_8);
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output.trim()).isEqualTo("OK " + COUNT);
      } finally {
        python.destroyForcibly();
      }
      echo.close();
      serving.join(WAIT);
      assertThat(echoed.get()).isEqualTo(COUNT);
      assertThat(echo.dropped()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.Loopbacks#transportsAndFamilies")
  void anAionetEndpointTalksToAPythonAsyncioEcho(Transport transport, String host) throws Exception {
    Process python = new ProcessBuilder("python3", "-c", SERVER, host).redirectErrorStream(true).start();
    try (TestLoop t = TestLoop.create(transport)) {
      BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), US_ASCII));
      int port = Integer.parseInt(out.readLine().trim());
      DatagramEndpoint client = t.run(() -> Datagrams.connect(host, port));
      BitSet seen = new BitSet(COUNT);
      int[] state = new int[3]; // sent, got, bytes in flight
      t.run(() -> Aio.repeatWhile(() -> {
        if (state[1] == COUNT) {
          return Promise.completed(false);
        }
        while (state[0] < COUNT && state[0] - state[1] < WINDOW
            && (state[2] == 0 || state[2] + SIZES[state[0] % SIZES.length] <= WINDOW_BYTES)) {
          byte[] p = payload(state[0]++);
          client.send(p);
          state[2] += p.length;
        }
        return Aio.waitFor(client.receive(), Duration.ofSeconds(20)).thenApply(d -> {
          int i = seqOf(d.data(), seen, state);
          assertThat(d.data()).as("datagram %d", i).isEqualTo(payload(i));
          assertThat(seen.get(i)).as("datagram %d twice", i).isFalse();
          seen.set(i);
          state[1]++;
          state[2] -= d.data().length;
          return true;
        });
      }));
      assertThat(seen.cardinality()).isEqualTo(COUNT);
      assertThat(client.dropped()).isZero();
      client.close();
      python.getOutputStream().close();
      assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(out.readLine()).isEqualTo("ECHOED " + COUNT);
      assertThat(python.exitValue()).isZero();
    } finally {
      python.destroyForcibly();
    }
  }

  private static byte[] payload(int i) {
    byte[] data = new byte[SIZES[i % SIZES.length]];
    new Random(i).nextBytes(data);
    if (data.length >= 4) {
      ByteBuffer.wrap(data).putInt(i);
    }
    return data;
  }

  /** The sequence number: in the first 4 bytes, or for a 1-byte datagram the oldest unseen of that size. */
  private static int seqOf(byte[] data, BitSet seen, int[] state) {
    if (data.length >= 4) {
      return ByteBuffer.wrap(data).getInt();
    }
    for (int j = state[1]; j < state[0]; j++) {
      if (SIZES[j % SIZES.length] == data.length && !seen.get(j)) {
        return j;
      }
    }
    throw new AssertionError("an unexpected " + data.length + "-byte datagram");
  }
}

package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault F16 (docs/faults.md): CPython's {@code ssl} module as a real TLS client of
 * {@code java -jar echo-server.jar --tls}, on NIO and epoll: exact echoes on concurrent
 * connections, each closed with {@code close_notify} both ways; 300 sequential handshakes (each
 * closed without {@code close_notify}, as Python's {@code SSLSocket.close()} does), with the
 * server's resident memory reported; and meanwhile a peer that speaks garbage, closed at once,
 * and one that stalls after half a ClientHello, closed at the 10 s handshake timeout.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PythonTlsClientIT {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PythonTlsClientIT.class);
  private static final int CONNECTIONS = 16;
  private static final int HANDSHAKES = 300;
  /** Generous: a 128 MiB heap, the JIT's code and Netty's pooled direct memory. */
  private static final long MAX_RSS_KIB = 512 * 1024;

  /**
   * The client. {@code echo}: CONNECTIONS threads each echo 1 MiB in 64 KiB rounds and close with
   * unwrap() (close_notify, then the server's). {@code handshakes}: HANDSHAKES sequential
   * connections that each echo one line; meanwhile a garbage peer and a stalled half ClientHello,
   * each timed until the server closes it. The server's certificate is checked by its fingerprint.
   */
  private static final String CLIENT = String.join("\n",
      "import hashlib, random, socket, ssl, sys, threading, time",
      "port, fingerprint, mode, n = int(sys.argv[1]), sys.argv[2].replace(':', '').lower(), sys.argv[3], int(sys.argv[4])",
      "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
      "ctx.check_hostname = False",
      "ctx.verify_mode = ssl.CERT_NONE",
      "def connect():",
      "    s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', port), timeout=60))",
      "    assert hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest() == fingerprint, 'not the server certificate'",
      "    return s",
      "def recv_exactly(s, size):",
      "    got = bytearray()",
      "    while len(got) < size:",
      "        chunk = s.recv(size - len(got))",
      "        assert chunk, 'EOF after %d of %d bytes' % (len(got), size)",
      "        got += chunk",
      "    return bytes(got)",
      "failures = []",
      "def echo(seed):",
      "    try:",
      "        data = random.Random(seed).randbytes(1 << 20)",
      "        s = connect()",
      "        for i in range(0, len(data), 65536):",
      "            s.sendall(data[i:i + 65536])",
      "            assert recv_exactly(s, 65536) == data[i:i + 65536], 'echo differs'",
      "        s.unwrap().close()",
      "    except Exception as e:",
      "        failures.append(repr(e))",
      "def closed_after(send):",
      "    raw = socket.create_connection(('127.0.0.1', port), timeout=60)",
      "    raw.sendall(send)",
      "    t0 = time.monotonic()",
      "    try:",
      "        while raw.recv(65536):",
      "            pass",
      "    except ConnectionResetError:",
      "        pass",
      "    raw.close()",
      "    return time.monotonic() - t0",
      "def half_client_hello():",
      "    o = ctx.wrap_bio(ssl.MemoryBIO(), outgoing := ssl.MemoryBIO())",
      "    try:",
      "        o.do_handshake()",
      "    except ssl.SSLWantReadError:",
      "        pass",
      "    hello = outgoing.read()",
      "    return hello[:len(hello) // 2]",
      "timings = {}",
      "def timed(name, send):",
      "    timings[name] = closed_after(send)",
      "if mode == 'echo':",
      "    threads = [threading.Thread(target=echo, args=(i,)) for i in range(n)]",
      "    for t in threads: t.start()",
      "    for t in threads: t.join()",
      "    assert not failures, failures",
      "    print('ECHO %d' % n, flush=True)",
      "else:",
      "    garbage = b'G' + random.Random(7).randbytes(4095)",
      "    side = [threading.Thread(target=timed, args=('GARBAGE', garbage)),",
      "            threading.Thread(target=timed, args=('STALL', half_client_hello()))]",
      "    for t in side: t.start()",
      "    t0 = time.monotonic()",
      "    for i in range(n):",
      "        s = connect()",
      "        s.sendall(b'ping %d\\n' % i)",
      "        assert recv_exactly(s, len(b'ping %d\\n' % i)) == b'ping %d\\n' % i",
      "        s.close()",
      "    print('HANDSHAKES %d %.1f' % (n, time.monotonic() - t0), flush=True)",
      "    for t in side: t.join()",
      "    for name, seconds in timings.items():",
      "        print('%s %.2f' % (name, seconds), flush=True)",
      "");

  @BeforeAll
  static void needsPythonSsl() {
    ExternalClient.assumeAvailable("python3", "-c", "import ssl, hashlib");
  }

  /** The resident set of process {@code pid}, in KiB (Linux). */
  private static long rssKib(long pid) throws java.io.IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
        .findFirst().orElseThrow();
  }

  /** Runs the client in {@code mode}; returns its output lines as name to value. */
  private static Map<String, String> python(int port, String fingerprint, String mode, int n) throws Exception {
    String output = ExternalClient.run("python3", "-c", CLIENT, Integer.toString(port), fingerprint, mode,
        Integer.toString(n));
    return output.lines().map(l -> l.split(" ", 2)).filter(p -> p.length == 2)
        .collect(Collectors.toMap(p -> p[0], p -> p[1], (a, b) -> b));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void pythonsSslModuleGetsExactEchoesHandshakesByTheHundredAndBadPeersAreCut(String transport) throws Exception {
    Process server = EchoServerJar.start(List.of("-Xmx128m"), "--port", "0", "--threads", "1", "--tls",
        "--transport", transport);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      Matcher listening = EchoServerJar.LISTENING.matcher(String.valueOf(EchoServerJar.nextLine(out)));
      assertThat(listening.find()).isTrue();
      assertThat(listening.group(2)).isEqualTo(transport);
      int port = Integer.parseInt(listening.group(1));
      String fingerprint = EchoServerJar.nextLine(out).replace("TLS certificate SHA-256 fingerprint: ", "");
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "echo-server-output");
      drain.setDaemon(true);
      drain.start(); // the server's log must never block it

      assertThat(python(port, fingerprint, "echo", CONNECTIONS)).containsEntry("ECHO", Integer.toString(CONNECTIONS));
      long warm = rssKib(server.pid());
      Map<String, String> result = python(port, fingerprint, "handshakes", HANDSHAKES);
      long after = rssKib(server.pid());
      log.info("{}: echo-server --tls RSS {} MiB after {} concurrent echoes, {} MiB after {} handshakes ({} s);"
          + " garbage closed after {} s, half a ClientHello after {} s", transport, warm / 1024, CONNECTIONS,
          after / 1024, HANDSHAKES, result.get("HANDSHAKES").split(" ")[1], result.get("GARBAGE"), result.get("STALL"));
      assertThat(result.get("HANDSHAKES")).startsWith(HANDSHAKES + " ");
      assertThat(after).as("the server's resident memory in KiB").isLessThan(MAX_RSS_KIB);
      assertThat(Double.parseDouble(result.get("GARBAGE"))).as("garbage cut (s)").isLessThan(5.0);
      assertThat(Double.parseDouble(result.get("STALL"))).as("a stalled handshake cut at the 10 s timeout (s)")
          .isGreaterThan(8.0).isLessThan(30.0);

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).isZero();
    } finally {
      server.destroyForcibly();
    }
  }
}

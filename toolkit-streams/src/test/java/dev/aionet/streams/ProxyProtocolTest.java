package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server with {@code proxyProtocol(true)} over real TCP, with Python as the load balancer: it
 * sends PROXY v1 and v2 headers (TCP4, TCP6, LOCAL), then a line; the handler answers with the
 * addresses it sees, both as a byte-stream server and as a message server (the header is read
 * beneath any codec). Garbage and a plain client are refused and reported while the server keeps
 * serving; with TLS the header comes before the handshake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Connects once per case, sends the case's header and "line\n" (wrapped in TLS after the header
   * when asked) and prints the reply line, or "CLOSED" when the server closed without one.
   */
  private static final String LOAD_BALANCER = String.join("\n",
      "import socket, ssl, struct, sys, ipaddress",
      "port, tls = int(sys.argv[1]), sys.argv[2] == 'tls'",
      "SIG = b'\\r\\n\\r\\n\\x00\\r\\nQUIT\\n'",
      "def v2(src, sport, dst, dport):",
      "    s, d = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed",
      "    fam = 0x11 if len(s) == 4 else 0x21",
      "    body = s + d + struct.pack('!HH', sport, dport)",
      "    return SIG + bytes([0x21, fam]) + struct.pack('!H', len(body)) + body",
      "CASES = {",
      "    'v1-tcp4': b'PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\\r\\n',",
      "    'v1-tcp6': b'PROXY TCP6 2001:db8::7 2001:db8::1 40000 443\\r\\n',",
      "    'v2-tcp4': v2('198.51.100.9', 7000, '192.0.2.1', 443),",
      "    'v2-tcp6': v2('2001:db8::9', 7001, '2001:db8::1', 443),",
      "    'v2-local': SIG + bytes([0x20, 0x00, 0, 0]),",
      "    'garbage': b'GET / HTTP/1.1\\r\\nHost: example\\r\\n\\r\\n',",
      "}",
      "for name in sys.argv[3:]:",
      "    s = socket.create_connection(('127.0.0.1', port), timeout=20)",
      "    s.sendall(CASES[name])",
      "    try:",
      "        if tls and name != 'garbage':",
      "            ctx = ssl.create_default_context()",
      "            ctx.check_hostname = False",
      "            ctx.verify_mode = ssl.CERT_NONE",
      "            s = ctx.wrap_socket(s, server_hostname='localhost')",
      "        s.sendall(b'line\\n')",
      "        reply = s.makefile('rb').readline().decode().strip()",
      "    except (ConnectionError, ssl.SSLError, OSError):",
      "        reply = ''",
      "    print(name, reply or 'CLOSED', flush=True)",
      "    s.close()",
      "");

  @BeforeAll
  static void needsPython() {
    PythonPeer.assumePresent("ssl, ipaddress");
  }

  /** Answers one line with "peer=host:port proxy=host:port line". */
  private static Promise<Void> whoAmI(StreamReader reader, StreamWriter writer) {
    return reader.readLine().thenCompose(line -> {
      writer.write(addressesSeenBy(writer::getExtraInfo) + " " + new String(line, UTF_8).strip() + "\n", UTF_8);
      return writer.drain();
    });
  }

  /** The same answer from a message handler on {@link Codec#lines}. */
  private static Promise<Void> whoAmIInLines(MessageReader<String> reader, MessageWriter<String> writer) {
    return reader.read().thenCompose(line -> writer.writeAndDrain(addressesSeenBy(writer::getExtraInfo) + " " + line));
  }

  private static String addressesSeenBy(java.util.function.Function<String, Object> extraInfo) {
    return "peer=" + describe((SocketAddress) extraInfo.apply("peername"))
        + " proxy=" + describe((SocketAddress) extraInfo.apply("proxy_peername"));
  }

  /** Every transport, each with a byte-stream server and a message server. */
  static Stream<Arguments> transportsAndKinds() {
    return TestLoop.transports().flatMap(t -> Stream.of(Arguments.of(t, "bytes"), Arguments.of(t, "messages")));
  }

  private static Server startWhoAmI(TestLoop t, String kind, ServerOptions options) {
    return t.run(() -> kind.equals("bytes")
        ? Streams.startServer(ProxyProtocolTest::whoAmI, "127.0.0.1", 0, options)
        : Messages.startServer(ProxyProtocolTest::whoAmIInLines, Codec.lines(1024), "127.0.0.1", 0, options));
  }

  private static String describe(SocketAddress a) {
    InetSocketAddress i = (InetSocketAddress) a;
    return i.getAddress().getHostAddress() + ":" + i.getPort();
  }

  private static List<String> loadBalancer(int port, boolean tls, String... cases) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", LOAD_BALANCER, Integer.toString(port),
        tls ? "tls" : "plain"));
    command.addAll(List.of(cases));
    Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertThat(python.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("python finished").isTrue();
      String output = new String(python.getInputStream().readAllBytes(), UTF_8);
      assertThat(python.exitValue()).as(output).isZero();
      return output.lines().toList();
    } finally {
      python.destroyForcibly();
    }
  }

  private static String proxyOf(String reply) {
    return reply.substring(reply.indexOf("proxy=") + 6, reply.lastIndexOf(' '));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndKinds")
  void headersOfBothVersionsReportTheClientAndGarbageIsRefusedWhileTheServerKeepsServing(Transport transport,
      String kind) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.exception() instanceof HAProxyProtocolException);
      Server server = startWhoAmI(t, kind, ServerOptions.builder().proxyProtocol(true).build());
      List<String> replies = loadBalancer(server.port(), false,
          "v1-tcp4", "garbage", "v1-tcp6", "v2-tcp4", "v2-tcp6", "v2-local");
      assertThat(replies).hasSize(6);
      assertThat(replies.get(0)).startsWith("v1-tcp4 peer=203.0.113.7:51234 proxy=127.0.0.1:").endsWith(" line");
      assertThat(replies.get(1)).isEqualTo("garbage CLOSED");
      assertThat(replies.get(2)).startsWith("v1-tcp6 peer=2001:db8:0:0:0:0:0:7:40000 proxy=127.0.0.1:");
      assertThat(replies.get(3)).startsWith("v2-tcp4 peer=198.51.100.9:7000 proxy=127.0.0.1:");
      assertThat(replies.get(4)).startsWith("v2-tcp6 peer=2001:db8:0:0:0:0:0:9:7001 proxy=127.0.0.1:");
      String local = replies.get(5);
      assertThat(local).startsWith("v2-local peer=127.0.0.1:").endsWith(" line");
      assertThat(local).contains("peer=" + proxyOf(local) + " "); // no client reported: both are the proxy
      assertThat(t.awaitErrors(1, WAIT)).singleElement()
          .satisfies(e -> assertThat(e.message()).startsWith("Invalid PROXY protocol header from /127.0.0.1:"));
      assertThat(server.isServing()).isTrue();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndKinds")
  void withTlsTheHeaderComesBeforeTheHandshake(Transport transport, String kind) throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    try (TestLoop t = TestLoop.create(transport)) {
      SslContext context = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
      Server server = startWhoAmI(t, kind, ServerOptions.builder().proxyProtocol(true).ssl(context).build());
      List<String> replies = loadBalancer(server.port(), true, "v2-tcp4", "v1-tcp6");
      assertThat(replies.get(0)).startsWith("v2-tcp4 peer=198.51.100.9:7000 proxy=127.0.0.1:").endsWith(" line");
      assertThat(replies.get(1)).startsWith("v1-tcp6 peer=2001:db8:0:0:0:0:0:7:40000 proxy=127.0.0.1:");
      server.shutdown(WAIT).join(WAIT);
    } finally {
      cert.delete();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aClientThatConnectsDirectlyIsRefused(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.exception() instanceof HAProxyProtocolException);
      Server server = t.run(() -> Streams.startServer(ProxyProtocolTest::whoAmI, "127.0.0.1", 0,
          ServerOptions.builder().proxyProtocol(true).build()));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("just a line, long enough to be judged as a header\r\n", US_ASCII);
      assertThat(c.reader().read(100).join(WAIT)).as("EOF: closed without a reply").isEmpty();
      c.writer().close();
      assertThat(t.awaitErrors(1, WAIT)).hasSize(1);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}

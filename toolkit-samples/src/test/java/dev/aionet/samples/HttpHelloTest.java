package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.streams.Server;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HttpHello answered by real HTTP clients: curl and Python's http.client. */
@Timeout(120)
class HttpHelloTest {
  private Loop loop;
  private Server server;

  @BeforeEach
  void start() {
    loop = Loop.create();
    server = loop.runUntilComplete(() -> HttpHello.start("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    loop.runUntilComplete(() -> server.shutdown(Duration.ofSeconds(5)));
    loop.close();
  }

  @Test
  void curlGetsHelloWorldTwiceOverOneKeptAliveConnection() throws Exception {
    ExternalClient.assumeAvailable("curl", "--version");
    String url = "http://127.0.0.1:" + server.port() + "/";
    String output = ExternalClient.run("curl", "-sS", "-v", url, url);
    assertThat(output).contains("HTTP/1.1 200 OK").contains("Hello, World!");
    assertThat(output.split("Hello, World!", -1)).hasSize(3);
    assertThat(output).contains("Re-using existing connection");
  }

  @Test
  void garbageGetsBadRequestAndACloseWhileOtherConnectionsAreServed() throws Exception {
    ExternalClient.assumeAvailable("python3", "-c", "import socket");
    String script = String.join("\n",
        "import socket, sys",
        "port = int(sys.argv[1])",
        "bad = socket.create_connection(('127.0.0.1', port), timeout=30)",
        "bad.sendall(b'\\x00\\x01 NOT HTTP AT ALL\\r\\n\\r\\n')",
        "data = b''",
        "while True:",
        "    chunk = bad.recv(65536)",
        "    if not chunk: break",
        "    data += chunk",
        "assert data.startswith(b'HTTP/1.1 400'), data",
        "good = socket.create_connection(('127.0.0.1', port), timeout=30)",
        "good.sendall(b'GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')",
        "data = b''",
        "while True:",
        "    chunk = good.recv(65536)",
        "    if not chunk: break",
        "    data += chunk",
        "assert b'Hello, World!' in data, data",
        "print('OK')",
        "");
    assertThat(ExternalClient.run("python3", "-c", script, Integer.toString(server.port())).strip()).isEqualTo("OK");
  }

  @Test
  void pythonsHttpClientGetsAnswersToPipelinedRequestsInOrder() throws Exception {
    ExternalClient.assumeAvailable("python3", "-c", "import http.client, socket");
    String script = String.join("\n",
        "import socket, sys, http.client",
        "port = int(sys.argv[1])",
        "c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)",
        "for i in range(3):",
        "    c.request('GET', '/n%d' % i)",
        "    r = c.getresponse()",
        "    assert r.status == 200 and r.read() == b'Hello, World!\\n', r.status",
        "s = socket.create_connection(('127.0.0.1', port), timeout=30)",
        "s.sendall(b''.join(b'GET /p%d HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' % i for i in range(5))",
        "    + b'GET /last HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')",
        "data = b''",
        "while True:",
        "    chunk = s.recv(65536)",
        "    if not chunk: break",
        "    data += chunk",
        "assert data.count(b'HTTP/1.1 200 OK') == 6, data",
        "assert data.count(b'Hello, World!') == 6, data",
        "print('OK')",
        "");
    assertThat(ExternalClient.run("python3", "-c", script, Integer.toString(server.port())).strip()).isEqualTo("OK");
  }
}

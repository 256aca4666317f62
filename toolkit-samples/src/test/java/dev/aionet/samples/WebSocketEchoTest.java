package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.streams.Server;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocketEcho with a WebSocket client written by hand in Python (RFC 6455 handshake and frames). */
@Timeout(120)
class WebSocketEchoTest {
  private Loop loop;
  private Server server;

  @BeforeEach
  void start() {
    loop = Loop.create();
    server = loop.runUntilComplete(() -> WebSocketEcho.start("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    loop.runUntilComplete(() -> server.shutdown(Duration.ofSeconds(5)));
    loop.close();
  }

  @Test
  void aWebSocketClientGetsEachTextFrameBackNumberedAndUpperCasedAndABinaryOneAsItWas() throws Exception {
    ExternalClient.assumeAvailable("python3", "-c", "import socket, base64, hashlib");
    String script = String.join("\n",
        "import base64, os, socket, struct, sys",
        "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=30)",
        "key = base64.b64encode(os.urandom(16))",
        "s.sendall(b'GET /ws HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'",
        "          b'Sec-WebSocket-Key: ' + key + b'\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n')",
        "head = b''",
        "while b'\\r\\n\\r\\n' not in head:",
        "    head += s.recv(1)",
        "assert head.startswith(b'HTTP/1.1 101'), head",
        "def send(opcode, payload):",
        "    mask = os.urandom(4)",
        "    s.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))",
        "def recv_exact(n):",
        "    data = b''",
        "    while len(data) < n:",
        "        data += s.recv(n - len(data))",
        "    return data",
        "def receive():",
        "    b0, b1 = recv_exact(2)",
        "    return b0 & 0x0f, recv_exact(b1 & 0x7f)",
        "send(1, b'hello')",
        "assert receive() == (1, b'1: HELLO')",
        "send(1, b'ciao')",
        "assert receive() == (1, b'2: CIAO')",
        "send(2, bytes([0, 1, 2, 255]))",
        "assert receive() == (2, bytes([0, 1, 2, 255]))",
        "send(8, struct.pack('!H', 1000))",
        "assert receive()[0] == 8",
        "print('OK')",
        "");
    assertThat(ExternalClient.run("python3", "-c", script, Integer.toString(server.port())).strip()).isEqualTo("OK");
  }
}

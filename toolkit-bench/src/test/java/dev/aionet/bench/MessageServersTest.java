package dev.aionet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The servers run-http-bench.sh compares answer alike, checked with a plain socket on 127.0.0.1:
 * a smoke test, never a speed test (the script's wrk is not needed here).
 */
@Timeout(60)
class MessageServersTest {

  @ParameterizedTest(name = "aionet={0}")
  @ValueSource(booleans = {false, true})
  void bothHttpServersAnswerPipelinedKeepAliveRequestsInOrderThenClose(boolean aionet) throws IOException {
    try (ScriptedServer server = start(aionet, "http");
        Socket socket = connect(server)) {
      String get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
      send(socket, get + get + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

      List<String> lines = readToEnd(socket);
      assertThat(lines).filteredOn(l -> l.startsWith("HTTP/1.1 ")).containsExactly(
          "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
      assertThat(lines).filteredOn("Hello, World!"::equals).hasSize(3);
      assertThat(lines).anyMatch(l -> l.equalsIgnoreCase("connection: close"));
    }
  }

  @ParameterizedTest(name = "aionet={0}")
  @ValueSource(booleans = {false, true})
  void bothLineServersEchoEachLine(boolean aionet) throws IOException {
    try (ScriptedServer server = start(aionet, "lines");
        Socket socket = connect(server)) {
      send(socket, "first\nsecond line\r\nthird\n");
      socket.shutdownOutput();

      assertThat(readToEnd(socket)).containsExactly("first", "second line", "third");
    }
  }

  private static ScriptedServer start(boolean aionet, String protocol) {
    return aionet
        ? AionetMessageServer.start(protocol, "127.0.0.1", 0, 1, "auto")
        : RawNettyMessageServer.start(protocol, "127.0.0.1", 0, 1, "auto");
  }

  private static Socket connect(ScriptedServer server) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The lines received until the server closes. */
  private static List<String> readToEnd(Socket socket) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lines.add(line);
    }
    return lines;
  }
}

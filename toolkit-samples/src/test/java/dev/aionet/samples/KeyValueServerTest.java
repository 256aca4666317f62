package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.streams.Server;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The key/value line server, driven by Python's asyncio as the client. */
@Timeout(120)
class KeyValueServerTest {
  private Loop loop;
  private Server server;
  private final KeyValueServer kv = new KeyValueServer();

  @BeforeEach
  void start() {
    loop = Loop.create();
    server = loop.runUntilComplete(() -> kv.start("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    loop.runUntilComplete(() -> server.shutdown(Duration.ofSeconds(5)));
    loop.close();
  }

  @Test
  void theCommandsAnswerAsDocumented() {
    assertThat(kv.answer("GET a")).isEqualTo("NIL");
    assertThat(kv.answer("SET a 1 and more")).isEqualTo("OK");
    assertThat(kv.answer("get a")).isEqualTo("1 and more");
    assertThat(kv.answer("DEL a")).isEqualTo("1");
    assertThat(kv.answer("DEL a")).isEqualTo("0");
    assertThat(kv.answer("SET a")).startsWith("ERR usage");
    assertThat(kv.answer("FLY away")).isEqualTo("ERR unknown command 'FLY'");
  }

  @Test
  void pythonAsyncioClientsSetAndGetThroughTheLineProtocol() throws Exception {
    ExternalClient.assumeAvailable("python3", "-c", "import asyncio");
    String script = String.join("\n",
        "import asyncio, sys",
        "async def ask(r, w, line):",
        "    w.write((line + '\\r\\n').encode())",
        "    await w.drain()",
        "    return (await r.readline()).decode().rstrip('\\n')",
        "async def main(port):",
        "    r1, w1 = await asyncio.open_connection('127.0.0.1', port)",
        "    r2, w2 = await asyncio.open_connection('127.0.0.1', port)",
        "    assert await ask(r1, w1, 'SET greeting ciao mondo') == 'OK'",
        "    assert await ask(r2, w2, 'GET greeting') == 'ciao mondo'",
        "    w2.write(b'SET a 1\\nGET a\\n')",
        "    await w2.drain()",
        "    assert (await r2.readline(), await r2.readline()) == (b'OK\\n', b'1\\n')",
        "    assert await ask(r1, w1, 'NOPE') == \"ERR unknown command 'NOPE'\"",
        "    w1.write(b'QUIT\\n')",
        "    assert await r1.read() == b''",
        "    w1.close(); w2.close()",
        "    print('OK')",
        "asyncio.run(main(int(sys.argv[1])))",
        "");
    assertThat(ExternalClient.run("python3", "-c", script, Integer.toString(server.port())).strip()).isEqualTo("OK");
  }
}

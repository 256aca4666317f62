package dev.aionet.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.streams.Connection;
import dev.aionet.streams.Server;
import dev.aionet.streams.Streams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ChatServerTest {
  private Loop loop;
  private Server server;
  private final java.util.List<Connection> clients = new java.util.ArrayList<>();

  @BeforeEach
  void start() {
    loop = Loop.create(LoopOptions.builder().threads(2).build());
    ChatServer chat = new ChatServer();
    server = loop.runUntilComplete(() -> chat.start("127.0.0.1", 0, Duration.ofMillis(500)));
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> c.writer().close());
    // Every server-side connection closed (its last broadcast lines flushed or released) before
    // the loop stops, rather than left to the event loop's shutdown.
    loop.runUntilComplete(() -> server.shutdown(Duration.ofSeconds(5)));
    loop.close();
  }

  private Connection connect() {
    Connection c = loop.runUntilComplete(() -> Streams.openConnection("127.0.0.1", server.port()));
    clients.add(c);
    return c;
  }

  private void say(Connection c, String line) {
    loop.runUntilComplete(() -> c.writer().writeAndDrain((line + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  private String hear(Connection c) {
    return loop.runUntilComplete(() -> c.reader().readLine(StandardCharsets.UTF_8));
  }

  private Connection join(String nick) {
    Connection c = connect();
    assertThat(hear(c)).isEqualTo("Welcome! What is your name?");
    say(c, nick);
    assertThat(hear(c)).startsWith("Hello, " + nick + "!");
    return c;
  }

  @Test
  void membersSeeEachOthersLinesWithNicknames() {
    Connection anna = join("anna");
    assertThat(hear(anna)).isEqualTo("* anna joined *");
    Connection bruno = join("bruno");
    assertThat(hear(bruno)).isEqualTo("* bruno joined *");
    assertThat(hear(anna)).isEqualTo("* bruno joined *");
    say(anna, "ciao a tutti");
    assertThat(hear(bruno)).isEqualTo("anna: ciao a tutti");
    assertThat(hear(anna)).isEqualTo("anna: ciao a tutti");
    say(bruno, "/quit");
    assertThat(hear(anna)).isEqualTo("* bruno left *");
  }

  @Test
  void aTakenNicknameIsRefused() {
    join("anna");
    Connection other = connect();
    hear(other);
    say(other, "anna");
    assertThat(hear(other)).startsWith("That name is empty or taken");
    say(other, "carla");
    assertThat(hear(other)).startsWith("Hello, carla!");
  }

  @Test
  void theIdleStateHandlerInThePipelineDisconnectsAnIdleUser() {
    Connection idle = connect();
    assertThat(hear(idle)).isEqualTo("Welcome! What is your name?");
    long start = System.nanoTime();
    assertThat(hear(idle)).isEqualTo("* disconnected: idle for too long *");
    assertThat(loop.runUntilComplete(() -> idle.reader().read(10))).isEmpty(); // EOF
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void verboseAddsNettysLoggingHandler() {
    io.netty.channel.embedded.EmbeddedChannel ch = new io.netty.channel.embedded.EmbeddedChannel();
    ChatServer.options(Duration.ofSeconds(1), true).pipeline().accept(ch.pipeline());
    assertThat(ch.pipeline().get(io.netty.handler.logging.LoggingHandler.class)).isNotNull();
    assertThat(ch.pipeline().get(io.netty.handler.timeout.IdleStateHandler.class)).isNotNull();
    ch.finishAndReleaseAll();
  }
}

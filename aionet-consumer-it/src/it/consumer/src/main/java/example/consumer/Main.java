package example.consumer;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.streams.Streams;
import java.nio.charset.StandardCharsets;

/** Echoes one line through an aionet server and client on 127.0.0.1, then says where it ran. */
public final class Main {
  public static void main(String[] args) {
    String echoed = Aio.run(() -> Streams.startServer((reader, writer) ->
            reader.readLine().thenCompose(line -> writer.writeAndDrain(line)).thenCompose(x -> {
              writer.close();
              return writer.waitClosed();
            }), "127.0.0.1", 0)
        .thenCompose(server -> Streams.openConnection("127.0.0.1", server.port())
            .thenCompose(c -> c.writer().writeAndDrain("ciao\n".getBytes(StandardCharsets.UTF_8))
                .thenCompose(x -> c.reader().readLine(StandardCharsets.UTF_8))
                .whenComplete((line, e) -> {
                  c.writer().close();
                  server.close();
                }))));
    System.out.println("echoed: " + echoed.strip());
    System.out.println("module: " + Loop.class.getModule().getName());
    System.out.println("transport: " + Aio.run(() -> Promise.completed(Loop.current().transport())));
  }
}

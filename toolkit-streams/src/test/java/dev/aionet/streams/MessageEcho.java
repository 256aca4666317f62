package dev.aionet.streams;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import java.util.function.Function;

/** Message handlers the message tests share. */
final class MessageEcho {
  private MessageEcho() {}

  /** Answers each message with {@code answer} of it until the peer closes, draining after each. */
  static <I, O> Promise<Void> serve(MessageReader<I> reader, MessageWriter<O> writer, Function<I, O> answer) {
    return Aio.repeatWhile(() -> reader.read().thenCompose(message -> {
      if (message == null) {
        return Promise.completed(false);
      }
      return writer.writeAndDrain(answer.apply(message)).thenApply(x -> true);
    }));
  }

  /** Echoes lines until the peer closes. */
  static Promise<Void> lines(MessageReader<String> reader, MessageWriter<String> writer) {
    return serve(reader, writer, line -> line);
  }
}

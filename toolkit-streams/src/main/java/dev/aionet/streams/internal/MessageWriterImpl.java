package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.streams.MessageWriter;
import io.netty.channel.Channel;
import java.util.Objects;

/**
 * The {@link MessageWriter} of one connection: the connection's {@link StreamWriterImpl} (which
 * flushes, drains and closes as for bytes), writing objects the codec's encoders take.
 *
 * @param <O> the outbound message type
 */
public final class MessageWriterImpl<O> implements MessageWriter<O> {
  private final StreamWriterImpl writer;

  public MessageWriterImpl(StreamWriterImpl writer) {
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public void write(O message) {
    writer.writeMessage(Objects.requireNonNull(message, "message"));
  }

  @Override
  public Promise<Void> drain() {
    return writer.drain();
  }

  @Override
  public Promise<Void> writeAndDrain(O message) {
    write(message);
    return drain();
  }

  @Override
  public void close() {
    writer.close();
  }

  @Override
  public void abort() {
    writer.abort();
  }

  @Override
  public boolean isClosing() {
    return writer.isClosing();
  }

  @Override
  public Promise<Void> waitClosed() {
    return writer.waitClosed();
  }

  @Override
  public Object getExtraInfo(String name) {
    return writer.getExtraInfo(name);
  }

  @Override
  public Channel channel() {
    return writer.channel();
  }

  @Override
  public String toString() {
    return "MessageWriter[" + writer.channel() + "]";
  }
}

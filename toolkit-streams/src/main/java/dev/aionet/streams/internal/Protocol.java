package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.Codec;
import dev.aionet.streams.Connection;
import dev.aionet.streams.MessageConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/**
 * What a connection speaks, byte streams or a codec's messages: the handlers it adds to each
 * connection's pipeline and what user code gets for the connection. Servers and clients set up
 * every connection the same way otherwise:
 *
 * <pre>
 *   [SslHandler] ─► the options' customizer ─► {@link #installCodec codec} ─► protections ─► {@link #installEnd end}
 * </pre>
 *
 * @param <C> what user code gets: a {@link Connection} or a {@link MessageConnection}
 */
public interface Protocol<C> {
  /** Adds the handlers that go between the options' customizer and the protections (a codec). */
  void installCodec(ChannelPipeline pipeline);

  /** Adds the connection's end (its reader and writer) last in the pipeline. */
  ConnectionEnd installEnd(Channel channel, LoopThread loop);

  /** The connection as user code gets it. */
  C connection(ConnectionEnd end);

  /** Byte streams: a {@link dev.aionet.streams.StreamReader} with this limit, and its writer. */
  static Protocol<Connection> bytes(int limit) {
    return new Protocol<>() {
      @Override
      public void installCodec(ChannelPipeline pipeline) {}

      @Override
      public ConnectionEnd installEnd(Channel channel, LoopThread loop) {
        return StreamAdapter.install(channel, loop, limit);
      }

      @Override
      public Connection connection(ConnectionEnd end) {
        StreamAdapter adapter = (StreamAdapter) end;
        return new Connection(adapter.reader(), adapter.writer());
      }
    };
  }

  /** The messages of {@code codec}, at most {@code messageLimit} queued before reading pauses. */
  static <I, O> Protocol<MessageConnection<I, O>> messages(Codec<I, O> codec, int messageLimit) {
    return new Protocol<>() {
      @Override
      public void installCodec(ChannelPipeline pipeline) {
        pipeline.addLast(CodecBytes.NAME, CodecBytes.INSTANCE);
        codec.install(pipeline);
      }

      @Override
      public ConnectionEnd installEnd(Channel channel, LoopThread loop) {
        return MessageAdapter.install(channel, loop, codec.inbound(), messageLimit);
      }

      @Override
      public MessageConnection<I, O> connection(ConnectionEnd end) {
        @SuppressWarnings("unchecked")
        MessageAdapter<I> adapter = (MessageAdapter<I>) end;
        return new MessageConnection<>(adapter.reader(), new MessageWriterImpl<>(adapter.writer()));
      }
    };
  }
}

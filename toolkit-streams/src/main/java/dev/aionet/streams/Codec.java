package dev.aionet.streams;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Netty handlers that turn a connection's bytes into messages and back, and the type of the
 * messages they deliver: what a {@link Messages} connection puts between the socket and its
 * {@link MessageReader} / {@link MessageWriter}. Any of Netty's codecs fits (HTTP, WebSocket,
 * Redis, MQTT, line or length-field framing, your own):
 *
 * <pre>{@code
 * Codec<FullHttpRequest, FullHttpResponse> http = Codec.of(FullHttpRequest.class, FullHttpResponse.class,
 *     p -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20)));
 * }</pre>
 *
 * <p>{@link #install} is called once per connection, after TLS and the options' own pipeline
 * customizer, so it must create new handlers each time unless they are {@code @Sharable}.
 *
 * @param <I> the type of the messages the pipeline delivers
 * @param <O> the type of the messages written
 * @since 0.2
 */
public interface Codec<I, O> {
  /**
   * The type of the messages the codec's decoders deliver; anything else reaching the reader fails
   * it with {@link UnexpectedMessageException}.
   *
   * @return the inbound type
   */
  Class<I> inbound();

  /**
   * Adds the codec's handlers to a new connection's pipeline.
   *
   * @param pipeline the pipeline
   */
  void install(ChannelPipeline pipeline);

  /**
   * A codec from its types and a function that adds its handlers.
   *
   * @param inbound the type the decoders deliver
   * @param outbound the type written (documents the codec; writes are checked by the encoders)
   * @param install adds the handlers, called once per connection
   * @param <I> the inbound type
   * @param <O> the outbound type
   * @return the codec
   */
  static <I, O> Codec<I, O> of(Class<I> inbound, Class<O> outbound, Consumer<ChannelPipeline> install) {
    Objects.requireNonNull(inbound, "inbound");
    Objects.requireNonNull(outbound, "outbound");
    Objects.requireNonNull(install, "install");
    return new Codec<>() {
      @Override
      public Class<I> inbound() {
        return inbound;
      }

      @Override
      public void install(ChannelPipeline pipeline) {
        install.accept(pipeline);
      }

      @Override
      public String toString() {
        return "Codec[" + inbound.getSimpleName() + " in, " + outbound.getSimpleName() + " out]";
      }
    };
  }

  /**
   * UTF-8 lines: each read returns one line without its {@code "\n"} or {@code "\r\n"}; each write
   * sends its string followed by {@code "\n"}. A line longer than {@code maxLength} bytes fails the
   * reads with Netty's {@code TooLongFrameException} as soon as it is seen (Netty's fail-fast
   * {@code LineBasedFrameDecoder}).
   *
   * @param maxLength the longest line, in bytes, without its separator
   * @return the codec
   * @throws IllegalArgumentException if {@code maxLength <= 0}
   */
  static Codec<String, String> lines(int maxLength) {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
    }
    return of(String.class, String.class, p -> p.addLast(
        new LineBasedFrameDecoder(maxLength, true, true),
        new StringDecoder(StandardCharsets.UTF_8),
        new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8)));
  }

  /**
   * Length-prefixed frames: a 4-byte big-endian length, then that many bytes. Each read returns one
   * frame's payload (a {@code ByteBuf} the caller releases); each write sends the buffer's readable
   * bytes behind their length. A frame announced longer than {@code maxFrameLength} fails the reads
   * with Netty's {@code TooLongFrameException} at once.
   *
   * @param maxFrameLength the largest payload, in bytes
   * @return the codec
   * @throws IllegalArgumentException if {@code maxFrameLength <= 0}
   */
  static Codec<ByteBuf, ByteBuf> lengthPrefixed(int maxFrameLength) {
    if (maxFrameLength <= 0 || maxFrameLength > Integer.MAX_VALUE - 4) {
      throw new IllegalArgumentException("maxFrameLength out of range: " + maxFrameLength);
    }
    return of(ByteBuf.class, ByteBuf.class, p -> p.addLast(
        new LengthFieldBasedFrameDecoder(maxFrameLength + 4, 0, 4, 0, 4),
        new LengthFieldPrepender(4)));
  }
}

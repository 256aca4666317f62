package dev.aionet.streams.internal;

import dev.aionet.streams.StreamReader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures a server reader's buffer from the outside: installed through the {@code pipeline}
 * option (in front of the stream adapter), it records the most bytes the reader held right after
 * each chunk the socket delivered. Tests of bounded memory assert on {@link #max()}.
 */
public final class BufferProbe extends ChannelInboundHandlerAdapter {
  private final AtomicInteger max = new AtomicInteger();

  /**
   * Returns the bytes {@code reader} holds now.
   *
   * @param reader a reader of a stream connection
   * @return its buffered bytes
   */
  public static int bufferedBytes(StreamReader reader) {
    return ((StreamReaderImpl) reader).bufferedBytes();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(msg);
    StreamAdapter adapter = ctx.pipeline().get(StreamAdapter.class);
    if (adapter != null) {
      max.accumulateAndGet(adapter.reader().bufferedBytes(), Math::max);
    }
  }

  /** The most bytes the reader held after any chunk so far. */
  public int max() {
    return max.get();
  }
}

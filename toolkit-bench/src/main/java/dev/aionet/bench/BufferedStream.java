package dev.aionet.bench;

import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.internal.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.function.Consumer;

/**
 * A stream whose bytes are all received already: {@link #CHUNK}-byte buffers written into an
 * {@link EmbeddedChannel}, as a socket delivers them, on the calling loop thread. Either into
 * aionet's {@link StreamAdapter} (the last handler of every stream connection), whose
 * {@link StreamReader} then reads from its buffer without waiting, or through a Netty decoder.
 */
final class BufferedStream {
  /** Bytes per received buffer. */
  static final int CHUNK = 16_384;

  private BufferedStream() {}

  /**
   * Feeds {@code data} to a new stream adapter on the current loop thread and returns its reader.
   * The chunks wrap {@code data} (no copy); the reader's limit is asyncio's default, 64 KiB.
   */
  static StreamReader reader(byte[] data) {
    EmbeddedChannel channel = new EmbeddedChannel();
    StreamAdapter adapter = StreamAdapter.install(channel, LoopThread.require(), 65_536);
    feed(channel, data);
    return adapter.reader();
  }

  /**
   * Feeds {@code data} through {@code decoder} and hands each decoded frame's bytes to
   * {@code frames} (copied out, as a {@code StreamReader} returns them), releasing the frame.
   */
  static void decode(byte[] data, ChannelHandler decoder, Consumer<byte[]> frames) {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    feed(channel, data);
    for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
      frames.accept(ByteBufUtil.getBytes(frame));
      frame.release();
    }
    channel.finishAndReleaseAll();
  }

  private static void feed(EmbeddedChannel channel, byte[] data) {
    for (int offset = 0; offset < data.length; offset += CHUNK) {
      channel.writeInbound(Unpooled.wrappedBuffer(data, offset, Math.min(CHUNK, data.length - offset)));
    }
  }
}

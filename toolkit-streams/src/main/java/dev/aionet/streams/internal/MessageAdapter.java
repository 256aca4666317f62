package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.UnexpectedMessageException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

/**
 * The last inbound handler of a message connection: it queues what the codec decoded in the
 * {@link MessageReaderImpl}, and refuses (releases, then fails the connection with
 * {@link UnexpectedMessageException}) anything that is not of the codec's inbound type. The rest
 * of its work is {@link ConnectionEnd}'s; the writer is a {@link StreamWriterImpl} whose writes
 * go through the codec's encoders.
 *
 * @param <I> the inbound message type
 */
public final class MessageAdapter<I> extends ConnectionEnd {
  /** The adapter's name in the pipeline. */
  public static final String NAME = "aionet-messages";

  private final Class<I> inbound;
  private final MessageReaderImpl<I> reader;
  private final StreamWriterImpl writer;

  private MessageAdapter(Channel channel, LoopThread loop, Class<I> inbound, int messageLimit) {
    this.inbound = inbound;
    this.reader = new MessageReaderImpl<>(loop, messageLimit, this);
    this.writer = new StreamWriterImpl(channel, reader, this);
  }

  /**
   * Adds an adapter at the end of {@code channel}'s pipeline.
   *
   * @param channel the channel
   * @param loop the channel's loop thread
   * @param inbound the type the codec delivers
   * @param messageLimit how many messages may queue before reading pauses
   * @param <I> the inbound type
   * @return the adapter
   */
  public static <I> MessageAdapter<I> install(Channel channel, LoopThread loop, Class<I> inbound, int messageLimit) {
    MessageAdapter<I> adapter = new MessageAdapter<>(channel, loop, inbound, messageLimit);
    channel.pipeline().addLast(NAME, adapter);
    return adapter;
  }

  public MessageReaderImpl<I> reader() {
    return reader;
  }

  @Override
  public StreamWriterImpl writer() {
    return writer;
  }

  /** Not an empty buffer: the codec's encoders would encode it (an empty frame, say). */
  @Override
  Object writeBarrier() {
    return WriteBarrier.INSTANCE;
  }

  @Override
  ReaderSide readerSide() {
    return reader;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readStarted(ctx);
    if (inbound.isInstance(msg)) {
      reader.feed(msg);
    } else {
      ReferenceCountUtil.release(msg);
      fail(ctx, new UnexpectedMessageException(msg.getClass(), "a " + msg.getClass().getName() + " reached the "
          + "message reader of " + ctx.channel() + ", whose codec delivers " + inbound.getName()));
    }
  }

  @Override
  void inputEnded() {
    reader.feedEof();
  }

  @Override
  void connectionLost() {
    reader.feedEof();
  }

  @Override
  void failReads(Throwable error) {
    reader.setException(error);
  }

  /** A decoder's exception (a frame too long, malformed input) is what the reads fail with. */
  @Override
  Throwable readFailure(Throwable cause) {
    return cause;
  }

  @Override
  String failureReport() {
    return "Unhandled exception in the pipeline of a message connection";
  }

  @Override
  public String toString() {
    return "MessageAdapter[" + writer.channel() + "]";
  }
}

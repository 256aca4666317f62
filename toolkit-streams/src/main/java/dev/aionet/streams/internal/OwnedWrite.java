package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopWork;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.util.ReferenceCountUtil;

/**
 * A write made on another thread, on its way to the connection's loop thread: the buffer or
 * message it carries belongs to aionet from the call on, so if a closed loop refuses the hop it
 * is released here (one object per hop, as the lambda it replaces).
 */
final class OwnedWrite implements LoopWork {

  /** Where the write goes once on the loop thread. */
  interface Target {
    /** Writes {@code data} (a message of a codec when {@code message}, else bytes). Loop thread. */
    void writeOnLoop(Object data, boolean message);
  }

  private final Target target;
  private final Object data;
  private final boolean message;

  OwnedWrite(Target target, Object data, boolean message) {
    this.target = target;
    this.data = data;
    this.message = message;
  }

  @Override
  public void run() {
    target.writeOnLoop(data, message);
  }

  @Override
  public void refused(IllegalStateException loopClosed) {
    ReferenceCountUtil.release(data);
  }

  @Override
  public String toString() {
    String what;
    if (data instanceof ByteBuf) {
      what = ((ByteBuf) data).readableBytes() + " bytes";
    } else if (data instanceof ByteBufHolder) {
      what = ((ByteBufHolder) data).content().readableBytes() + " bytes";
    } else {
      what = "a " + data.getClass().getName();
    }
    return "write of " + what + " to " + target + " (released)";
  }
}

package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopThread;

/**
 * What a connection's writer needs of the reader beside it: the connection's loop thread, the
 * error that broke the connection (drain reports it first, as asyncio), and a way to drop unread
 * input when the writer closes. Both the byte reader and the message reader are one.
 */
interface ReaderSide {
  /** The connection's loop thread. */
  LoopThread loopThread();

  /** The error every read fails with, or null. */
  Throwable exception();

  /** The writer closed the connection: drop unread input; reads see EOF. Loop thread only. */
  void release();
}

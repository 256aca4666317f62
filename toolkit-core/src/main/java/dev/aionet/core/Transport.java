package dev.aionet.core;

/**
 * The Netty transport a {@link Loop} runs on.
 *
 * @since 0.1
 */
public enum Transport {
  /** The best the machine has: epoll where available, else NIO. */
  AUTO,
  /** Java NIO, available everywhere. */
  NIO,
  /** Linux epoll (native). */
  EPOLL,
  /** Linux io_uring (native); only on request. */
  IO_URING
}

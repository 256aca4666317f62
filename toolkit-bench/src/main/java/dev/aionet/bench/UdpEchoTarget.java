package dev.aionet.bench;

/** A UDP echo server under test: where it listens and which thread does its work. */
interface UdpEchoTarget extends AutoCloseable {
  /** The port it echoes on (127.0.0.1). */
  int port();

  /** The id of its one loop thread, whose CPU time is the server's cost. */
  long threadId();

  @Override
  void close();
}

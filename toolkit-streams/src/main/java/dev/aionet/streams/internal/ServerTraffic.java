package dev.aionet.streams.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server's byte counts, updated by its connections on all the loop's threads. A connection
 * finds them through its parent (the listening channel), so an idle connection carries no field
 * for them; a client connection has no parent and counts nothing.
 */
final class ServerTraffic {
  /** Set on the listening channel (ServerBootstrap.attr), before it accepts anything. */
  static final AttributeKey<ServerTraffic> KEY = AttributeKey.valueOf(ServerTraffic.class, "traffic");

  final LongAdder read = new LongAdder();
  final LongAdder written = new LongAdder();

  /** The counts of {@code child}'s server, or null for a connection no server accepted. */
  static ServerTraffic of(Channel child) {
    Channel parent = child.parent();
    return parent == null ? null : parent.attr(KEY).get();
  }

  static void countRead(Channel child, int bytes) {
    ServerTraffic t = of(child);
    if (t != null) {
      t.read.add(bytes);
    }
  }

  static void countWritten(Channel child, long bytes) {
    ServerTraffic t = of(child);
    if (t != null) {
      t.written.add(bytes);
    }
  }
}

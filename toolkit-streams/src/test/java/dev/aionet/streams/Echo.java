package dev.aionet.streams;

import dev.aionet.core.Promise;
import java.io.ByteArrayOutputStream;

/** Handlers and client loops the stream tests share. */
public final class Echo {
  private Echo() {}

  /** Echoes until EOF, draining after each chunk: the seed's echo server. */
  public static Promise<Void> echo(StreamReader reader, StreamWriter writer) {
    return reader.read(64 * 1024).thenCompose(data -> {
      if (data.length == 0) {
        return Promise.completed(null);
      }
      writer.write(data);
      return writer.drain().thenCompose(ignored -> echo(reader, writer));
    });
  }

  /** A server handler that counts its starts in {@code started}, then echoes. */
  public static ClientHandler countingStarts(java.util.concurrent.atomic.AtomicInteger started) {
    return (reader, writer) -> {
      started.incrementAndGet();
      return echo(reader, writer);
    };
  }

  /** As {@link #echo}, adding each chunk's size to {@code read}. */
  public static Promise<Void> countingEcho(StreamReader reader, StreamWriter writer, java.util.concurrent.atomic.AtomicLong read) {
    return reader.read(64 * 1024).thenCompose(data -> {
      if (data.length == 0) {
        return Promise.completed(null);
      }
      read.addAndGet(data.length);
      writer.write(data);
      return writer.drain().thenCompose(ignored -> countingEcho(reader, writer, read));
    });
  }

  /** Reads until EOF into {@code into}. */
  public static Promise<byte[]> readAll(StreamReader reader, ByteArrayOutputStream into) {
    return reader.read(64 * 1024).thenCompose(data -> {
      if (data.length == 0) {
        return Promise.completed(into.toByteArray());
      }
      into.write(data);
      return readAll(reader, into);
    });
  }
}

package dev.aionet.streams.internal;

import dev.aionet.streams.IncompleteReadException;
import dev.aionet.streams.LimitOverrunException;
import io.netty.buffer.ByteBuf;
import java.util.OptionalInt;

/** The kinds of {@link PendingRead}: each {@code tryRead} is one of asyncio's read methods. */
final class Reads {
  private Reads() {}

  /** read(n), n >= 0: up to n bytes as soon as one is there. */
  static final class Read extends PendingRead.OfBytes {
    private final int n;

    Read(StreamReaderImpl reader, int n) {
      super(reader);
      this.n = n;
    }

    @Override
    String method() {
      return "read()";
    }

    @Override
    boolean tryRead() {
      StreamReaderImpl r = reader;
      if (n == 0) {
        succeed(StreamReaderImpl.EMPTY);
      } else if (!r.isEmpty()) {
        succeed(r.readBytes(Math.min(n, r.size())));
      } else if (r.eof) {
        succeed(StreamReaderImpl.EMPTY);
      } else {
        return false;
      }
      return true;
    }
  }

  /**
   * read(-1): everything up to EOF. asyncio loops over read(limit); here the bytes stay in the
   * buffer until EOF so that a cancelled read(-1) loses nothing, and the waiting read keeps the
   * socket reading, so it cannot deadlock (it holds everything, as its result will).
   */
  static final class ReadAll extends PendingRead.OfBytes {
    ReadAll(StreamReaderImpl reader) {
      super(reader);
    }

    @Override
    String method() {
      return "read()";
    }

    @Override
    boolean tryRead() {
      if (!reader.eof) {
        return false;
      }
      succeed(reader.readBytes(reader.size()));
      return true;
    }
  }

  /** readExactly(n): n bytes, or IncompleteReadException with what there was at EOF. */
  static final class ReadExactly extends PendingRead.OfBytes {
    private final int n;

    ReadExactly(StreamReaderImpl reader, int n) {
      super(reader);
      this.n = n;
    }

    @Override
    String method() {
      return "readExactly()";
    }

    @Override
    boolean tryRead() {
      StreamReaderImpl r = reader;
      if (r.size() >= n) {
        succeed(r.readBytes(n));
      } else if (r.eof) {
        byte[] partial = r.readBytes(r.size());
        settleFailed(new IncompleteReadException(partial, OptionalInt.of(n)), partial);
      } else {
        return false;
      }
      return true;
    }
  }

  /** readBuf(n): as read(n), as a retained slice of the buffer instead of a copy. */
  static final class ReadBuf extends PendingRead<ByteBuf> {
    private final int n;

    ReadBuf(StreamReaderImpl reader, int n) {
      super(reader);
      this.n = n;
    }

    @Override
    String method() {
      return "readBuf()";
    }

    @Override
    boolean tryRead() {
      StreamReaderImpl r = reader;
      int size = r.size();
      int take;
      if (n == 0) {
        take = 0;
      } else if (n == -1) {
        if (!r.eof) {
          return false;
        }
        take = size;
      } else if (size > 0) {
        take = Math.min(n, size);
      } else if (r.eof) {
        take = 0;
      } else {
        return false;
      }
      ByteBuf out = r.readRetained(take);
      r.waiterGone(this);
      if (!complete(out)) {
        r.addFirst(out);
      }
      return true;
    }
  }

  /**
   * readuntil as CPython 3.13 (several separators, the earliest end wins), and readLine on top
   * of it with the over-long-line rule. {@link #offset} survives waits, as asyncio's
   * local variable does, so each arrival is scanned once.
   */
  static final class ReadUntil extends PendingRead.OfBytes {
    private final byte[][] separators;
    private final boolean line;
    private int offset;

    ReadUntil(StreamReaderImpl reader, byte[][] separators, boolean line) {
      super(reader);
      this.separators = separators;
      this.line = line;
    }

    @Override
    String method() {
      return line ? "readLine()" : "readUntil()";
    }

    @Override
    boolean tryRead() {
      StreamReaderImpl r = reader;
      int minLen = separators[0].length;
      int maxLen = separators[separators.length - 1].length;
      int buflen = r.size();
      if (buflen - offset >= minLen) {
        int matchStart = -1;
        int matchEnd = -1;
        for (byte[] sep : separators) {
          int at = r.indexOf(sep, offset);
          if (at >= 0 && (matchEnd < 0 || at + sep.length < matchEnd)) {
            matchStart = at;
            matchEnd = at + sep.length;
          }
        }
        if (matchEnd >= 0) {
          if (matchStart > r.limit) {
            overrun("Separator is found, but chunk is longer than limit", matchStart);
          } else {
            succeed(r.readBytes(matchEnd));
          }
          return true;
        }
        offset = Math.max(0, buflen + 1 - maxLen);
        if (offset > r.limit) {
          overrun("Separator is not found, and chunk exceed the limit", offset);
          return true;
        }
      }
      if (r.eof) {
        byte[] partial = r.readBytes(r.size());
        if (line) {
          succeed(partial); // asyncio readline: the partial line at EOF, no exception
        } else {
          settleFailed(new IncompleteReadException(partial, OptionalInt.empty()), partial);
        }
        return true;
      }
      return false;
    }

    private void overrun(String message, int consumed) {
      StreamReaderImpl r = reader;
      if (!line) {
        settleFailed(new LimitOverrunException(message, consumed)); // readUntil keeps the data, as asyncio
        return;
      }
      // Over-long lines: drop the line through its newline, or all of it and what follows until a
      // newline arrives (docs/differences-from-asyncio.md #1).
      int dropped;
      if (consumed < r.size() && r.byteAt(consumed) == StreamReaderImpl.NEWLINE) {
        dropped = consumed + 1;
        r.skip(dropped);
      } else {
        dropped = r.size();
        r.clear();
        r.discardingLine = !r.eof;
      }
      settleFailed(new LimitOverrunException(message, dropped));
    }
  }
}

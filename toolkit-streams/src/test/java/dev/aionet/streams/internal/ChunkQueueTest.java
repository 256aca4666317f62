package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader's chunk buffer: order, put-back, searching across chunks, and who releases what. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChunkQueueTest {

  private static ByteBuf chunk(String s) {
    return Unpooled.copiedBuffer(s, US_ASCII);
  }

  private static String take(ChunkQueue q, int n) {
    return new String(q.readBytes(n), US_ASCII);
  }

  @Test
  void bytesComeOutInArrivalOrderWhileChunksComeAndGoInAnyRhythm() {
    ChunkQueue q = new ChunkQueue();
    StringBuilder fed = new StringBuilder();
    StringBuilder read = new StringBuilder();
    // Feeds grow the queue past several array sizes while reads consume from the front, so the
    // chunks slide to the front and the array grows in between.
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i <= round % 7; i++) {
        String s = round + "." + i + ";";
        fed.append(s);
        q.add(chunk(s));
      }
      read.append(take(q, Math.min(q.size(), 3 + round % 5)));
    }
    read.append(take(q, q.size()));
    assertThat(read.toString()).isEqualTo(fed.toString());
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void queuesOnOneThreadThatTakeTurnsWithTheSpareArrayNeverMixTheirBytes() {
    // Many connections' readers on one loop thread: each empties and refills in its own rhythm,
    // handing its emptied array to the thread's spare and taking it back, while others hold
    // bytes. Every queue must read exactly what was fed to it, in order.
    int queues = 5;
    List<ChunkQueue> qs = new ArrayList<>();
    List<StringBuilder> fed = new ArrayList<>();
    List<StringBuilder> read = new ArrayList<>();
    for (int i = 0; i < queues; i++) {
      qs.add(new ChunkQueue());
      fed.add(new StringBuilder());
      read.add(new StringBuilder());
    }
    for (int round = 0; round < 200; round++) {
      int i = (round * 7) % queues;
      ChunkQueue q = qs.get(i);
      String s = i + ":" + round + ";";
      q.add(chunk(s));
      fed.get(i).append(s);
      if (round % 3 != 0) {
        read.get(i).append(take(q, q.size())); // empties it: its array goes to the spare
      } else if (q.size() > 4) {
        read.get(i).append(take(q, 4)); // leaves bytes: it keeps its array
      }
    }
    for (int i = 0; i < queues; i++) {
      ChunkQueue q = qs.get(i);
      read.get(i).append(take(q, q.size()));
      assertThat(read.get(i).toString()).as("queue %d", i).isEqualTo(fed.get(i).toString());
    }
  }

  @Test
  void aChunkPutBackIsReadFirst() {
    ChunkQueue q = new ChunkQueue();
    q.addFirst(chunk("only"));
    assertThat(take(q, 4)).isEqualTo("only");
    q.add(chunk("b"));
    q.add(chunk("c"));
    q.addFirst(chunk("a")); // in front of a queue that starts at index 0
    assertThat(take(q, 1)).isEqualTo("a");
    q.addFirst(chunk("A")); // into the slot the read just freed
    assertThat(take(q, 3)).isEqualTo("Abc");
  }

  @Test
  void searchesAndSlicesSpanChunkBoundaries() {
    ChunkQueue q = new ChunkQueue();
    q.add(chunk("ab\r"));
    q.add(chunk("\ncd"));
    assertThat(q.indexOf("\r\n".getBytes(US_ASCII), 0)).isEqualTo(2);
    assertThat(q.byteAt(4)).isEqualTo((byte) 'c');
    ByteBuf spanning = q.readRetained(5);
    try {
      assertThat(spanning.toString(US_ASCII)).isEqualTo("ab\r\nc");
    } finally {
      spanning.release();
    }
    assertThat(q.size()).isEqualTo(1);
    q.skip(1);
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void consumedChunksAreReleasedAndClearReleasesTheRest() {
    ChunkQueue q = new ChunkQueue();
    List<ByteBuf> chunks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ByteBuf c = chunk("xy");
      chunks.add(c);
      q.add(c);
    }
    q.skip(5); // two whole chunks and half of the third
    assertThat(chunks).extracting(ByteBuf::refCnt).containsExactly(0, 0, 1, 1, 1);
    q.clear();
    assertThat(chunks).extracting(ByteBuf::refCnt).containsOnly(0);
    assertThat(q.size()).isZero();
  }

  @Test
  void aReadOfExactlyTheFirstChunkHandsThatChunkOverAsItIs() {
    ChunkQueue q = new ChunkQueue();
    ByteBuf first = chunk("ping");
    q.add(first);
    q.add(chunk("pong"));
    ByteBuf out = q.readRetained(4);
    try {
      assertThat(out).as("no slice, no copy").isSameAs(first);
      assertThat(out.refCnt()).as("ownership moved: one reference, the caller's").isEqualTo(1);
    } finally {
      out.release();
    }
    ByteBuf last = q.readRetained(4);
    assertThat(last.toString(US_ASCII)).isEqualTo("pong");
    last.release();
    assertThat(q.isEmpty()).isTrue();
    q.add(chunk("again")); // the emptied queue takes chunks as before
    assertThat(take(q, 5)).isEqualTo("again");
  }
}

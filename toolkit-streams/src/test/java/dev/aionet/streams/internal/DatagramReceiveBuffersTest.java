package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Receive slices of one pooled chunk: packed one after the other, each with room for the largest datagram. */
class DatagramReceiveBuffersTest {
  private static final int SLOT = 1_001;

  @Test
  void eachSliceStartsWhereThePreviousDatagramEndedAndHasRoomForTheLargest() {
    DatagramReceiveBuffers buffers = new DatagramReceiveBuffers(SLOT, 16);
    RecvByteBufAllocator.Handle handle = buffers.newHandle();
    ByteBuf first = handle.allocate(PooledByteBufAllocator.DEFAULT);
    assertThat(first.writableBytes()).isEqualTo(SLOT);
    first.writeZero(10); // a 10-byte datagram
    long firstAddress = first.memoryAddress();
    first.release();
    ByteBuf second = handle.allocate(PooledByteBufAllocator.DEFAULT);
    assertThat(second.writableBytes()).isEqualTo(SLOT);
    assertThat(second.memoryAddress()).isEqualTo(firstAddress + 10);
    second.release();
    buffers.release();
  }

  @Test
  void aChunkIsFreedOnceTheChannelMovedOnAndItsLastSliceIsReleased() {
    DatagramReceiveBuffers buffers = new DatagramReceiveBuffers(SLOT, 16);
    RecvByteBufAllocator.Handle handle = buffers.newHandle();
    ByteBuf kept = handle.allocate(PooledByteBufAllocator.DEFAULT).writeZero(SLOT);
    ByteBuf chunk = kept.unwrap();
    for (int i = 0; i < 15; i++) { // fills the chunk's 16 slots with full-size datagrams
      handle.allocate(PooledByteBufAllocator.DEFAULT).writeZero(SLOT).release();
    }
    ByteBuf next = handle.allocate(PooledByteBufAllocator.DEFAULT);
    assertThat(next.unwrap()).as("a new chunk").isNotSameAs(chunk);
    assertThat(chunk.refCnt()).as("the slice still held keeps it").isPositive();
    kept.release();
    assertThat(chunk.refCnt()).isZero();
    next.release();
    ByteBuf current = next.unwrap();
    buffers.release();
    assertThat(current.refCnt()).as("close drops the channel's reference").isZero();
  }
}

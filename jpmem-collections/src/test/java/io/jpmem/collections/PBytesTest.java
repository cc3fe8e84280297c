package io.jpmem.collections;

import static io.jpmem.collections.SeqTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PBytes against a byte[] model: appends, range writes past the end, truncation, across reopen. */
class PBytesTest {

    @TempDir
    Path dir;

    private PersistentHeap heap;
    private PBytes bytes;

    @AfterEach
    void noDefault() {
        ObjectSpace.setDefault(null);
    }

    @Test
    void behavesLikeAByteArrayAcrossReopen() {
        long seed = seed("PBytesTest");
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("pbytes.heap");
        heap = open(file, Durability.PROCESS);
        bytes = new PBytes();
        ObjectSpace.of(heap).setRoot("bytes", bytes);
        byte[] model = new byte[0];
        try {
            for (int step = 0; step < 3000; step++) {
                String context = "seed " + seed + " step " + step;
                int op = random.nextInt(100);
                if (op < 30) {
                    byte[] more = randomBytes(random, random.nextInt(0, 100));
                    int from = random.nextInt(more.length + 1);
                    int n = random.nextInt(more.length - from + 1);
                    model = concat(model, Arrays.copyOfRange(more, from, from + n));
                    assertEquals(model.length, bytes.append(more, from, n), context);
                } else if (op < 45) {
                    byte[] src = randomBytes(random, random.nextInt(0, 40));
                    int offset = random.nextInt(model.length + 30);
                    if (offset + src.length > model.length) {
                        model = Arrays.copyOf(model, offset + src.length);
                    }
                    System.arraycopy(src, 0, model, offset, src.length);
                    assertEquals(model.length, bytes.setRange(offset, src, 0, src.length), context);
                } else if (op < 55 && model.length > 0) {
                    int i = random.nextInt(model.length);
                    byte b = (byte) random.nextInt();
                    model[i] = b;
                    bytes.set(i, b);
                } else if (op < 62) {
                    int length = random.nextInt(0, model.length + 20);
                    model = Arrays.copyOf(model, length);
                    bytes.setLength(length);
                } else if (op < 66) {
                    model = randomBytes(random, random.nextInt(0, 300));
                    bytes.copyFrom(model);
                } else if (op < 70) {
                    byte[] before = model;
                    assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                        bytes.append(new byte[500]);
                        bytes.setRange(0, new byte[] {1, 2, 3}, 0, 3);
                        bytes.setLength(1);
                        throw new IllegalStateException("roll back");
                    }), context);
                    assertArrayEquals(before, bytes.toByteArray(), context);
                } else if (op < 78 && model.length > 0) {
                    int from = random.nextInt(model.length + 1);
                    int to = random.nextInt(from, model.length + 1);
                    assertArrayEquals(Arrays.copyOfRange(model, from, to), bytes.getRange(from, to), context);
                    int i = random.nextInt(model.length);
                    assertEquals(model[i], bytes.get(i), context);
                } else if (op < 80) {
                    assertThrows(IndexOutOfBoundsException.class, () -> bytes.get(bytes.length()), context);
                    assertThrows(IndexOutOfBoundsException.class, () -> bytes.getRange(0, bytes.length() + 1), context);
                    assertThrows(IllegalArgumentException.class, () -> bytes.setLength(-1), context);
                } else if (op < 84) {
                    heap.close();
                    heap = open(file, Durability.PROCESS);
                    bytes = ObjectSpace.of(heap).root("bytes", PBytes.class);
                }
                assertEquals(model.length, bytes.length(), context);
                assertTrue(bytes.capacity() >= bytes.length(), context);
                assertTrue(bytes.contentEquals(model), context);
                if (step % 50 == 0) {
                    assertZeroTail(context);
                }
            }
            assertEquals(List.of(), heap.check());
            assertEquals(0, heap.unreachableBlocks());
            bytes.free();
            assertEquals(0, heap.allocationStats().allocatedBlocks(), "seed " + seed + ": free left blocks");
        } finally {
            heap.close();
        }
    }

    /** The invariant growth relies on: bytes past the length are zero. */
    private void assertZeroTail(String context) {
        long data = heap.getRef(bytes.$jpmemRef() + PBytes.DATA);
        for (long i = bytes.length(); i < bytes.capacity(); i++) {
            assertEquals(0, heap.getByte(data + i), context + ": byte " + i + " past the length");
        }
    }

    @Test
    void growthFreesTheOldBlockAndTruncationShrinks() {
        heap = open(dir.resolve("growth.heap"), Durability.PROCESS);
        try {
            PBytes b = new PBytes("abc".getBytes());
            long first = heap.getRef(b.$jpmemRef() + PBytes.DATA);
            b.append(new byte[1000]);
            assertFalse(heap.isAllocated(first), "the old data block is freed by growth");
            assertEquals(2, heap.allocationStats().allocatedBlocks());
            b.setLength(10);
            assertTrue(b.capacity() < 100, "a length of a quarter of the capacity or less shrinks the block");
            assertArrayEquals("abc".getBytes(), b.getRange(0, 3));
            b.setLength(0);
            assertEquals(0, b.capacity());
            assertEquals(1, heap.allocationStats().allocatedBlocks(), "an empty PBytes is a header only");
            assertEquals(List.of(), heap.check());
        } finally {
            heap.close();
        }
    }

    static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

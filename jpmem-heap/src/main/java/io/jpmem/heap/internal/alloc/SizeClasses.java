package io.jpmem.heap.internal.alloc;

import io.jpmem.heap.internal.format.HeapFormat;

/**
 * The slab size classes: slot sizes in bytes, block header included. Spaced about 25% apart, so
 * internal fragmentation stays under a quarter; every size is a multiple of 16, so payloads (at
 * slot + 8) are 8-aligned. Blocks larger than the largest class that fits a chunk eight times are
 * large blocks: runs of whole chunks.
 */
public final class SizeClasses {

    private SizeClasses() {}

    static final int[] SLOT_BYTES = {16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
            640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192,
            10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768};

    /** {@return the number of classes usable with this chunk size: slots of at most chunk / 8} */
    static int classCount(int chunkByteSize) {
        int count = 0;
        while (count < SLOT_BYTES.length && SLOT_BYTES[count] <= chunkByteSize / 8) {
            count++;
        }
        return count;
    }

    /** {@return the smallest class whose slot holds header + payload, or -1 if none of the first {@code count} do} */
    static int classFor(long payloadBytes, int count) {
        long needed = payloadBytes + HeapFormat.BLOCK_HEADER_BYTES;
        int lo = 0;
        int hi = count - 1;
        if (count == 0 || needed > SLOT_BYTES[hi]) {
            return -1;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (SLOT_BYTES[mid] >= needed) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The geometry of a slab chunk of one class. */
    record Slab(int slotBytes, int slots, int bitmapWords, int dataOffset) {

        static Slab of(int sizeClass, int chunkByteSize) {
            int slotBytes = SLOT_BYTES[sizeClass];
            int slots = (chunkByteSize - HeapFormat.CACHE_LINE_BYTES) / slotBytes;
            while (dataOffsetFor(slots) + (long) slots * slotBytes > chunkByteSize) {
                slots--;
            }
            return new Slab(slotBytes, slots, (slots + 63) >>> 6, dataOffsetFor(slots));
        }

        private static int dataOffsetFor(int slots) {
            return (int) HeapFormat.alignUp(((slots + 63L) >>> 6) * 8, HeapFormat.CACHE_LINE_BYTES);
        }
    }
}

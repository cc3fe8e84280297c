package io.jpmem.heap.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a checkpoint reads the pages it writes to the heap file: a snapshot of the working mapping
 * taken at the roll (every commit up to the roll's sequence, nothing later, nothing uncommitted),
 * or, at recovery, the replayed image.
 */
@FunctionalInterface
public interface PageSource {

    /** Fills {@code dst} with the heap's bytes from {@code heapOffset}. */
    void read(long heapOffset, ByteBuffer dst) throws IOException;

    /**
     * A range of the heap file to write.
     *
     * @param heapOffset where it starts (page-aligned in practice)
     * @param byteSize   how many bytes
     */
    record Range(long heapOffset, int byteSize) {
        public Range {
            if (heapOffset < 0 || byteSize <= 0) {
                throw new IllegalArgumentException("bad range " + heapOffset + " + " + byteSize);
            }
        }
    }
}

package io.jpmem.heap.internal.wal;

import java.util.Objects;

/**
 * What a committed transaction left at one place of the heap: {@code bytes} at {@code heapOffset}.
 * Replaying an after-image is idempotent: it writes the same bytes however often it runs.
 *
 * @param heapOffset byte offset in the heap file
 * @param bytes      the bytes there after the commit; the image keeps this array, so the caller
 *                   must not change it afterwards
 */
public record AfterImage(long heapOffset, byte[] bytes) {

    public AfterImage {
        Objects.requireNonNull(bytes);
        if (heapOffset < 0) {
            throw new IllegalArgumentException("negative heap offset " + heapOffset);
        }
    }
}

package io.jpmem.heap.internal.alloc;

/**
 * Makes the file system hold the blocks of a range of the heap file before the allocator hands
 * out a chunk in it. The heap file is sparse: a store into a hole of a full file system raises
 * SIGBUS (an {@link InternalError} in Java, possibly after the store was dropped), so the space is
 * reserved while the chunk is still free, where a full file system is an ordinary allocation
 * failure.
 */
@FunctionalInterface
public interface ChunkReserver {

    /** A reserver for mappings that need none (read-only, private copies, tests of the allocator alone). */
    ChunkReserver NONE = (offset, byteSize) -> true;

    /** {@return whether the file system now holds {@code [offset, offset + byteSize)} of the file; false if it is full} */
    boolean reserve(long offset, long byteSize);
}

package io.jpmem.heap;

/**
 * Capacity and fragmentation of a heap's object area.
 *
 * @param objectAreaBytes the object area's size: the most the heap can ever hold
 * @param freeChunkBytes bytes in entirely free chunks
 * @param slabBytes bytes in chunks carved into slots of one size class
 * @param largeBytes bytes in chunks of large blocks
 * @param logBytes bytes in chunks that extend transaction logs
 * @param allocatedBlocks published blocks
 * @param allocatedSlotBytes bytes of the slots of published small blocks
 * @param freeSlotBytes bytes of free slots inside slab chunks
 */
public record AllocationStats(long objectAreaBytes, long freeChunkBytes, long slabBytes, long largeBytes, long logBytes,
                              long allocatedBlocks, long allocatedSlotBytes, long freeSlotBytes) {

    /** {@return the share of slab bytes in free slots: 0 is none; a high value means many half-empty slabs} */
    public double fragmentation() {
        return slabBytes == 0 ? 0 : (double) freeSlotBytes / slabBytes;
    }

    /** {@return bytes still available: free chunks plus free slots} */
    public long availableBytes() {
        return freeChunkBytes + freeSlotBytes;
    }
}

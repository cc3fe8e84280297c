package io.jpmem.heap;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each region of a heap file lies. Fixed at create and recorded in the header.
 *
 * @param maxByteSize the file's length, the heap's maximum size
 * @param chunkByteSize the size of one chunk of the object area (a power of two)
 * @param typeTableOffset start of the type table
 * @param typeTableByteSize size of the type table, header included
 * @param rootTableOffset start of the root table
 * @param rootSlotCount number of root slots
 * @param logAreaOffset start of the per-thread log slots
 * @param logSlotCount number of log slots
 * @param logSlotByteSize size of one log slot
 * @param chunkTableOffset start of the chunk table
 * @param chunkCount number of chunks
 * @param objectAreaOffset start of the object area, the first chunk
 */
public record HeapLayout(long maxByteSize, int chunkByteSize,
                         long typeTableOffset, long typeTableByteSize,
                         long rootTableOffset, int rootSlotCount,
                         long logAreaOffset, int logSlotCount, int logSlotByteSize,
                         long chunkTableOffset, int chunkCount,
                         long objectAreaOffset) {

    /** {@return the end (exclusive) of the object area} */
    public long objectAreaEnd() {
        return objectAreaOffset + (long) chunkCount * chunkByteSize;
    }

    /** {@return the bytes in front of the object area: headers and tables} */
    public long metadataByteSize() {
        return objectAreaOffset;
    }

    /**
     * Lays out a new heap.
     *
     * @throws IllegalArgumentException if a size is out of range or the regions leave no room for
     *     one chunk
     */
    public static HeapLayout compute(long maxByteSize, int chunkByteSize, int typeTableByteSize,
                                     int rootSlotCount, int logSlotCount, int logSlotByteSize) {
        if (maxByteSize < MIN_HEAP_BYTES || maxByteSize > MAX_HEAP_BYTES) {
            throw new IllegalArgumentException("maximum heap size " + maxByteSize + " is outside ["
                    + MIN_HEAP_BYTES + ", " + MAX_HEAP_BYTES + "]");
        }
        if (Integer.bitCount(chunkByteSize) != 1 || chunkByteSize < MIN_CHUNK_BYTES || chunkByteSize > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk size " + chunkByteSize + " is not a power of two in ["
                    + MIN_CHUNK_BYTES + ", " + MAX_CHUNK_BYTES + "]");
        }
        if (typeTableByteSize < TYPE_TABLE_HEADER_BYTES + 256) {
            throw new IllegalArgumentException("type table size " + typeTableByteSize + " is too small");
        }
        if (rootSlotCount < 1 || logSlotCount < 1 || logSlotByteSize < PAGE_BYTES) {
            throw new IllegalArgumentException("root slots, log slots and log slot size must be positive"
                    + " (log slots at least one page)");
        }
        long offset = 2L * PAGE_BYTES;
        long typeTableOffset = offset;
        long typeTableBytes = alignUp(typeTableByteSize, PAGE_BYTES);
        offset += typeTableBytes;
        long rootTableOffset = offset;
        offset += alignUp((long) rootSlotCount * ROOT_SLOT_BYTES, PAGE_BYTES);
        long logAreaOffset = offset;
        offset += alignUp((long) logSlotCount * alignUp(logSlotByteSize, PAGE_BYTES), PAGE_BYTES);
        long chunkTableOffset = offset;
        long chunks = Math.max(0, (maxByteSize - chunkTableOffset) / ((long) chunkByteSize + CHUNK_ENTRY_BYTES));
        while (chunks > 0 && chunkTableOffset + alignUp(chunks * CHUNK_ENTRY_BYTES, PAGE_BYTES) + chunks * chunkByteSize > maxByteSize) {
            chunks--;
        }
        if (chunks < 1 || chunks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maximum heap size " + maxByteSize
                    + " leaves no room for a chunk of " + chunkByteSize + " bytes after " + chunkTableOffset
                    + " bytes of metadata");
        }
        long objectAreaOffset = chunkTableOffset + alignUp(chunks * CHUNK_ENTRY_BYTES, PAGE_BYTES);
        return new HeapLayout(maxByteSize, chunkByteSize, typeTableOffset, typeTableBytes, rootTableOffset,
                rootSlotCount, logAreaOffset, logSlotCount, (int) alignUp(logSlotByteSize, PAGE_BYTES),
                chunkTableOffset, (int) chunks, objectAreaOffset);
    }

    /**
     * Checks a layout read from a header: regions aligned, in order, not overlapping, inside the file.
     *
     * @return the problems found, empty when the layout is sound
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (maxByteSize < MIN_HEAP_BYTES || maxByteSize > MAX_HEAP_BYTES) {
            problems.add("maximum size " + maxByteSize + " out of range");
        }
        if (Integer.bitCount(chunkByteSize) != 1 || chunkByteSize < MIN_CHUNK_BYTES || chunkByteSize > MAX_CHUNK_BYTES) {
            problems.add("chunk size " + chunkByteSize + " invalid");
        }
        long[][] regions = {
                {typeTableOffset, typeTableByteSize},
                {rootTableOffset, (long) rootSlotCount * ROOT_SLOT_BYTES},
                {logAreaOffset, (long) logSlotCount * logSlotByteSize},
                {chunkTableOffset, (long) chunkCount * CHUNK_ENTRY_BYTES},
                {objectAreaOffset, (long) chunkCount * chunkByteSize},
        };
        String[] names = {"type table", "root table", "log area", "chunk table", "object area"};
        long previousEnd = 2L * PAGE_BYTES;
        for (int i = 0; i < regions.length; i++) {
            long start = regions[i][0];
            long size = regions[i][1];
            if (start % PAGE_BYTES != 0) {
                problems.add(names[i] + " offset " + start + " not page-aligned");
            }
            if (size < 0 || start < previousEnd) {
                problems.add(names[i] + " at " + start + " overlaps the region before it (ending at " + previousEnd + ")");
            }
            previousEnd = start + Math.max(0, size);
        }
        if (previousEnd > maxByteSize) {
            problems.add("object area ends at " + previousEnd + ", beyond the maximum size " + maxByteSize);
        }
        if (typeTableByteSize < TYPE_TABLE_HEADER_BYTES || rootSlotCount < 1 || logSlotCount < 1 || chunkCount < 1
                || logSlotByteSize < PAGE_BYTES) {
            problems.add("a region is empty or too small");
        }
        return problems;
    }
}

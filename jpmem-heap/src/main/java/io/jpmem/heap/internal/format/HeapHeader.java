package io.jpmem.heap.internal.format;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.UUID;

/**
 * One header copy, decoded. Immutable: an update makes a new header with the next sequence.
 *
 * @param sequence incremented by every header update; the valid copy with the higher one is current
 * @param heapId identifies the heap across copies and backups
 * @param createdMillis creation time, epoch milliseconds
 * @param layout where the regions lie
 * @param flags {@link HeapFormat#FLAG_CLEAN_SHUTDOWN}
 * @param openCount read-write opens so far; the current run's epoch
 * @param lastOpenMillis time of the last read-write open
 * @param lastCloseMillis time of the last clean close, 0 if none
 * @param walSeq with {@link HeapFormat#FLAG_WAL}: the last write-ahead-log sequence the heap file holds
 *     (written at a clean close, after its checkpoint); a log that ends before it is refused as truncated
 */
public record HeapHeader(long sequence, UUID heapId, long createdMillis, HeapLayout layout, long flags,
                         long openCount, long lastOpenMillis, long lastCloseMillis, long walSeq) {

    /** A header of a heap without a write-ahead log. */
    public HeapHeader(long sequence, UUID heapId, long createdMillis, HeapLayout layout, long flags,
                      long openCount, long lastOpenMillis, long lastCloseMillis) {
        this(sequence, heapId, createdMillis, layout, flags, openCount, lastOpenMillis, lastCloseMillis, 0);
    }

    /** {@return whether the heap's durable state is its file plus its write-ahead log} */
    public boolean walLogged() {
        return (flags & FLAG_WAL) != 0;
    }

    /** {@return this header with {@code newWalSeq} as its log sequence (same update sequence: combine with {@link #next})} */
    public HeapHeader withWalSeq(long newWalSeq) {
        return new HeapHeader(sequence, heapId, createdMillis, layout, flags, openCount, lastOpenMillis,
                lastCloseMillis, newWalSeq);
    }

    /** {@return this header with the next sequence number, the given flags and log sequence} */
    public HeapHeader nextWal(long newFlags, long newWalSeq) {
        return new HeapHeader(sequence + 1, heapId, createdMillis, layout, newFlags, openCount, lastOpenMillis,
                lastCloseMillis, newWalSeq);
    }

    /** {@return whether the heap was closed cleanly after its last read-write open} */
    public boolean cleanShutdown() {
        return (flags & FLAG_CLEAN_SHUTDOWN) != 0;
    }

    /** {@return this header with the next sequence number and the given flags, times and count} */
    public HeapHeader next(long newFlags, long newOpenCount, long newLastOpenMillis, long newLastCloseMillis) {
        return new HeapHeader(sequence + 1, heapId, createdMillis, layout, newFlags, newOpenCount,
                newLastOpenMillis, newLastCloseMillis, walSeq);
    }

    /** {@return the {@link HeapFormat#HEADER_RECORD_BYTES} bytes of this header, checksum included} */
    public byte[] encode() {
        byte[] bytes = new byte[HEADER_RECORD_BYTES];
        MemorySegment s = MemorySegment.ofArray(bytes);
        s.set(LE_LONG_U, H_MAGIC, MAGIC);
        s.set(LE_INT_U, H_VERSION, FORMAT_VERSION);
        s.set(LE_INT_U, H_RECORD_BYTES, HEADER_RECORD_BYTES);
        s.set(LE_LONG_U, H_SEQUENCE, sequence);
        s.set(LE_LONG_U, H_HEAP_ID, heapId.getMostSignificantBits());
        s.set(LE_LONG_U, H_HEAP_ID + 8, heapId.getLeastSignificantBits());
        s.set(LE_LONG_U, H_CREATED_MILLIS, createdMillis);
        s.set(LE_LONG_U, H_MAX_BYTES, layout.maxByteSize());
        s.set(LE_INT_U, H_PAGE_BYTES, PAGE_BYTES);
        s.set(LE_INT_U, H_CHUNK_BYTES, layout.chunkByteSize());
        s.set(LE_LONG_U, H_TYPE_TABLE_OFFSET, layout.typeTableOffset());
        s.set(LE_LONG_U, H_TYPE_TABLE_BYTES, layout.typeTableByteSize());
        s.set(LE_LONG_U, H_ROOT_TABLE_OFFSET, layout.rootTableOffset());
        s.set(LE_INT_U, H_ROOT_SLOT_COUNT, layout.rootSlotCount());
        s.set(LE_INT_U, H_ROOT_SLOT_BYTES, ROOT_SLOT_BYTES);
        s.set(LE_LONG_U, H_LOG_AREA_OFFSET, layout.logAreaOffset());
        s.set(LE_INT_U, H_LOG_SLOT_COUNT, layout.logSlotCount());
        s.set(LE_INT_U, H_LOG_SLOT_BYTES, layout.logSlotByteSize());
        s.set(LE_LONG_U, H_CHUNK_TABLE_OFFSET, layout.chunkTableOffset());
        s.set(LE_INT_U, H_CHUNK_COUNT, layout.chunkCount());
        s.set(LE_INT_U, H_CHUNK_ENTRY_BYTES, CHUNK_ENTRY_BYTES);
        s.set(LE_LONG_U, H_OBJECT_AREA_OFFSET, layout.objectAreaOffset());
        s.set(LE_LONG_U, H_FLAGS, flags);
        s.set(LE_LONG_U, H_OPEN_COUNT, openCount);
        s.set(LE_LONG_U, H_LAST_OPEN_MILLIS, lastOpenMillis);
        s.set(LE_LONG_U, H_LAST_CLOSE_MILLIS, lastCloseMillis);
        s.set(LE_LONG_U, H_WAL_SEQ, walSeq);
        s.set(LE_INT_U, H_CHECKSUM, Checksums.crc32c(bytes, 0, H_CHECKSUM));
        return bytes;
    }

    /** The outcome of decoding one header copy. */
    public sealed interface Decoded permits Valid, Invalid {}

    /** A copy that passed every check. */
    public record Valid(HeapHeader header) implements Decoded {}

    /** A copy that did not; {@code kind} says which check failed first. */
    public record Invalid(InvalidKind kind, String detail) implements Decoded {}

    /** Which check a header copy failed, in the order they run. */
    public enum InvalidKind { NO_MAGIC, NEWER_VERSION, BAD_CHECKSUM, BAD_LAYOUT }

    /**
     * Decodes a header copy. Checks run in this order: magic, version (so a newer format is
     * reported as such even though its checksum rules may differ), checksum, then layout.
     *
     * @param bytes at least {@link HeapFormat#HEADER_RECORD_BYTES} bytes of a header copy
     */
    public static Decoded decode(byte[] bytes) {
        if (bytes.length < HEADER_RECORD_BYTES) {
            return new Invalid(InvalidKind.NO_MAGIC, "only " + bytes.length + " bytes");
        }
        MemorySegment s = MemorySegment.ofArray(bytes);
        if (s.get(LE_LONG_U, H_MAGIC) != MAGIC) {
            return new Invalid(InvalidKind.NO_MAGIC, "no jpmem magic");
        }
        int version = s.get(LE_INT_U, H_VERSION);
        if (version > FORMAT_VERSION || version < 1) {
            return new Invalid(InvalidKind.NEWER_VERSION, "format version " + Integer.toUnsignedString(version)
                    + ", this jpmem reads up to " + FORMAT_VERSION);
        }
        int stored = s.get(LE_INT_U, H_CHECKSUM);
        int computed = Checksums.crc32c(bytes, 0, H_CHECKSUM);
        if (stored != computed) {
            return new Invalid(InvalidKind.BAD_CHECKSUM, String.format("stored CRC32C %08x, computed %08x", stored, computed));
        }
        if (s.get(LE_INT_U, H_RECORD_BYTES) != HEADER_RECORD_BYTES || s.get(LE_INT_U, H_PAGE_BYTES) != PAGE_BYTES
                || s.get(LE_INT_U, H_ROOT_SLOT_BYTES) != ROOT_SLOT_BYTES
                || s.get(LE_INT_U, H_CHUNK_ENTRY_BYTES) != CHUNK_ENTRY_BYTES) {
            return new Invalid(InvalidKind.BAD_LAYOUT, "record, page, root slot or chunk entry size differs from format 1");
        }
        HeapLayout layout = new HeapLayout(
                s.get(LE_LONG_U, H_MAX_BYTES), s.get(LE_INT_U, H_CHUNK_BYTES),
                s.get(LE_LONG_U, H_TYPE_TABLE_OFFSET), s.get(LE_LONG_U, H_TYPE_TABLE_BYTES),
                s.get(LE_LONG_U, H_ROOT_TABLE_OFFSET), s.get(LE_INT_U, H_ROOT_SLOT_COUNT),
                s.get(LE_LONG_U, H_LOG_AREA_OFFSET), s.get(LE_INT_U, H_LOG_SLOT_COUNT), s.get(LE_INT_U, H_LOG_SLOT_BYTES),
                s.get(LE_LONG_U, H_CHUNK_TABLE_OFFSET), s.get(LE_INT_U, H_CHUNK_COUNT),
                s.get(LE_LONG_U, H_OBJECT_AREA_OFFSET));
        List<String> problems = layout.problems();
        if (!problems.isEmpty()) {
            return new Invalid(InvalidKind.BAD_LAYOUT, String.join("; ", problems));
        }
        return new Valid(new HeapHeader(
                s.get(LE_LONG_U, H_SEQUENCE),
                new UUID(s.get(LE_LONG_U, H_HEAP_ID), s.get(LE_LONG_U, H_HEAP_ID + 8)),
                s.get(LE_LONG_U, H_CREATED_MILLIS), layout, s.get(LE_LONG_U, H_FLAGS),
                s.get(LE_LONG_U, H_OPEN_COUNT), s.get(LE_LONG_U, H_LAST_OPEN_MILLIS),
                s.get(LE_LONG_U, H_LAST_CLOSE_MILLIS), s.get(LE_LONG_U, H_WAL_SEQ)));
    }

    private static final ValueLayout.OfLong LE_LONG_U = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT_U = LE_INT_UNALIGNED;
}

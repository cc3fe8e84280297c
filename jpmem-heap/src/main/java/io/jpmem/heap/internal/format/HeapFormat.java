package io.jpmem.heap.internal.format;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The heap file format, version 1: every magic number, version, size and field offset in one
 * place. docs/ARCHITECTURE.md draws the same format on one page; keep the two in step.
 *
 * <pre>
 * offset                 region              contents
 * 0                      header copy A       {@link #HEADER_RECORD_BYTES}-byte header, rest of the page zero
 * 4096                   header copy B       the same; the valid copy with the higher sequence wins
 * typeTableOffset        type table          64-byte table header, then checksummed type entries
 * rootTableOffset        root table          rootSlotCount slots of {@link #ROOT_SLOT_BYTES}
 * logAreaOffset          log slots           logSlotCount slots of logSlotByteSize
 * chunkTableOffset       chunk table         chunkCount entries of {@link #CHUNK_ENTRY_BYTES}
 * objectAreaOffset       object area         chunkCount chunks of chunkByteSize
 * </pre>
 *
 * All integers are little-endian; all regions start on a page boundary. A reference is a 64-bit
 * byte offset from the start of the file; 0 is null.
 */
public final class HeapFormat {

    private HeapFormat() {}

    /** "JPMEMHEP": the first eight bytes of both header copies. */
    public static final long MAGIC = bytesToLong("JPMEMHEP");
    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public static final int PAGE_BYTES = 4096;
    public static final int CACHE_LINE_BYTES = 64;
    /** Offsets of the two header copies. */
    public static final long[] HEADER_COPY_OFFSETS = {0, PAGE_BYTES};
    /** Bytes of a header copy covered by the layout below; the checksum covers all but its own word. */
    public static final int HEADER_RECORD_BYTES = 256;

    // Header fields (offsets within a header copy).
    public static final int H_MAGIC = 0;              // u64
    public static final int H_VERSION = 8;            // u32 format version
    public static final int H_RECORD_BYTES = 12;      // u32 = HEADER_RECORD_BYTES
    public static final int H_SEQUENCE = 16;          // u64, +1 per header update
    public static final int H_HEAP_ID = 24;           // 16 bytes, UUID (msb, lsb)
    public static final int H_CREATED_MILLIS = 40;    // u64
    public static final int H_MAX_BYTES = 48;         // u64, file length, fixed at create
    public static final int H_PAGE_BYTES = 56;        // u32
    public static final int H_CHUNK_BYTES = 60;       // u32
    public static final int H_TYPE_TABLE_OFFSET = 64; // u64
    public static final int H_TYPE_TABLE_BYTES = 72;  // u64
    public static final int H_ROOT_TABLE_OFFSET = 80; // u64
    public static final int H_ROOT_SLOT_COUNT = 88;   // u32
    public static final int H_ROOT_SLOT_BYTES = 92;   // u32 = ROOT_SLOT_BYTES
    public static final int H_LOG_AREA_OFFSET = 96;   // u64
    public static final int H_LOG_SLOT_COUNT = 104;   // u32
    public static final int H_LOG_SLOT_BYTES = 108;   // u32
    public static final int H_CHUNK_TABLE_OFFSET = 112; // u64
    public static final int H_CHUNK_COUNT = 120;      // u32
    public static final int H_CHUNK_ENTRY_BYTES = 124; // u32 = CHUNK_ENTRY_BYTES
    public static final int H_OBJECT_AREA_OFFSET = 128; // u64
    public static final int H_FLAGS = 136;            // u64, FLAG_*
    public static final int H_OPEN_COUNT = 144;       // u64, read-write opens so far (the run epoch)
    public static final int H_LAST_OPEN_MILLIS = 152; // u64
    public static final int H_LAST_CLOSE_MILLIS = 160; // u64
    public static final int H_WAL_SEQ = 168;          // u64, with FLAG_WAL: the last log sequence the file holds
    // 168..247 reserved, zero.
    public static final int H_CHECKSUM = 248;         // u32 CRC32C of bytes [0, 248); 252..255 zero

    /** Header flag: the heap was closed cleanly; cleared at every read-write open. */
    public static final long FLAG_CLEAN_SHUTDOWN = 1L;
    /**
     * Header flag: the heap's durable state is this file plus its write-ahead log ({@code <file>.wal-0}
     * and {@code .wal-1}); set before the first record is appended, and the file is then written only by
     * checkpoints.
     */
    public static final long FLAG_WAL = 2L;

    // Type table.
    public static final int TYPE_TABLE_HEADER_BYTES = 64;
    public static final int TT_USED_BYTES = 0;        // u64: bytes of entries published (the commit point)
    public static final int TYPE_ENTRY_ALIGN = 8;
    // Type entry fields (offsets within an entry).
    public static final int TE_ENTRY_BYTES = 0;       // u32, multiple of 8
    public static final int TE_TYPE_ID = 4;           // u32, 1, 2, 3, ... in order
    public static final int TE_FINGERPRINT = 8;       // u64
    public static final int TE_CHECKSUM = 16;         // u32 CRC32C of the entry with this field zero
    public static final int TE_INSTANCE_BYTES = 20;   // u32
    public static final int TE_SHAPE = 24;            // u8 0 = record, 1 = array
    public static final int TE_ELEMENT_KIND = 25;     // u8 FieldKind code of array elements, else 0
    public static final int TE_NAME_BYTES = 26;       // u16
    public static final int TE_FIELD_COUNT = 28;      // u16
    public static final int TE_FIXED_BYTES = 32;      // then name (UTF-8), then per field:
                                                      //   u16 name bytes, name, u8 kind, u32 offset

    // Root table slot.
    public static final int ROOT_SLOT_BYTES = 128;
    public static final int RS_VALUE = 0;             // u64 reference, the only word a root update writes
    public static final int RS_STATE = 8;             // u64 state word, written last: see rootState()
    public static final int RS_NAME = 16;             // name, UTF-8
    public static final int ROOT_NAME_MAX_BYTES = ROOT_SLOT_BYTES - RS_NAME;
    public static final long ROOT_IN_USE = 0x52L;     // 'R': low byte of an in-use state word

    // Chunk table: one 64-byte entry per chunk; its first 8 bytes are the chunk word, the rest zero.
    public static final int CHUNK_ENTRY_BYTES = 64;
    /** Chunk word kinds (low byte). */
    public static final int CHUNK_FREE = 0;
    /** A slab of equal slots: class in bits 8..15; allocation bitmap at the chunk's start. */
    public static final int CHUNK_SLAB = 1;
    /** The first chunk of a large block: run length in chunks in bits 32..63. */
    public static final int CHUNK_LARGE = 2;
    /** A following chunk of a large block: the head chunk's index in bits 32..63. */
    public static final int CHUNK_LARGE_TAIL = 3;
    /** An extension of a transaction log slot. */
    public static final int CHUNK_LOG = 4;

    public static long chunkWord(int kind, int sizeClass, long high) {
        return (kind & 0xFF) | ((long) (sizeClass & 0xFF) << 8) | (high << 32);
    }

    public static int chunkKind(long word) {
        return (int) (word & 0xFF);
    }

    public static int chunkClass(long word) {
        return (int) ((word >>> 8) & 0xFF);
    }

    public static long chunkHigh(long word) {
        return word >>> 32;
    }

    // Blocks: an 8-byte header right before the payload; a reference points at the payload.
    public static final int BLOCK_HEADER_BYTES = 8;
    public static final int BH_TYPE_ID = -8;          // u32 type id (type table), relative to the reference
    public static final int BH_PAYLOAD_BYTES = -4;    // u32 payload size in bytes

    // Transaction log slots and their extensions.
    public static final int LOG_HEADER_BYTES = 64;
    public static final int LS_CONTROL = 0;           // u64 epoch << 1 | committed: the commit point
    public static final int LS_NEXT = 8;              // u64 offset of the next log segment (a CHUNK_LOG chunk), 0 if none
    public static final int LOG_ENTRY_HEADER_BYTES = 24;
    public static final int LE_KIND = 0;              // u32 LOG_*
    public static final int LE_LENGTH = 4;            // u32 data bytes (entry is header + data padded to 8)
    public static final int LE_TARGET = 8;            // u64 heap offset the entry applies to
    public static final int LE_CHECKSUM = 16;         // u32 CRC32C of epoch, kind, length, target and data; u32 zero
    /** Undo: data = the old bytes of [target, target + length). */
    public static final int LOG_UNDO = 1;
    /** Redo: the 8-byte word at target |= data (allocation bits). */
    public static final int LOG_SET_BITS = 2;
    /** Redo: the 8-byte word at target {@code &= ~data} (freed bits). */
    public static final int LOG_CLEAR_BITS = 3;
    /** Redo: the 8-byte word at target = data (chunk words of large blocks). */
    public static final int LOG_PUT_LONG = 4;
    /** The log continues at the start of the segment named by this segment's {@link #LS_NEXT}. */
    public static final int LOG_CONTINUE = 5;

    // Limits.
    public static final long MIN_HEAP_BYTES = 256L << 10;
    public static final long MAX_HEAP_BYTES = 1L << 44;
    public static final int MIN_CHUNK_BYTES = 16 << 10;
    public static final int MAX_CHUNK_BYTES = 64 << 20;

    public static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort LE_SHORT_UNALIGNED = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt LE_INT_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The state word of an in-use root slot: {@code ROOT_IN_USE | nameLength << 8 | crc32c(name) << 32}.
     * A slot is in use exactly when its state word's low byte is {@link #ROOT_IN_USE}.
     */
    public static long rootState(byte[] utf8Name) {
        return ROOT_IN_USE | ((long) utf8Name.length << 8) | ((Checksums.crc32c(utf8Name) & 0xFFFF_FFFFL) << 32);
    }

    /** {@code value} rounded up to a multiple of the power of two {@code alignment}. */
    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    private static long bytesToLong(String eightAscii) {
        byte[] bytes = eightAscii.getBytes(StandardCharsets.US_ASCII);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }
}

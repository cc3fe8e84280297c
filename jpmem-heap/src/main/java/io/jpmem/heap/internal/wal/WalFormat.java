package io.jpmem.heap.internal.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The write-ahead log's file format: every offset, magic and version, in one place. All integers
 * are little-endian. docs/ARCHITECTURE.md ("The write-ahead log") draws the same thing.
 *
 * <pre>
 * log file (two per heap, used in turn: one generation each)
 *   0      header slot 0 (HEADER_BYTES used, rest of the sector zero)
 *   512    header slot 1 (the valid slot with the higher update counter is current)
 *   4096   frames, back to back, 8-byte aligned; then zeros (preallocated) or stale frames
 *
 * header (80 bytes)
 *   0  u64 magic "JPMEMWAL"      40 u64 generation (+1 per checkpoint, across the two files)
 *   8  u32 format version (1)    48 u32 state: 1 ARMED, 2 CHECKPOINTED
 *   12 u32 header bytes (80)     52 u32 zero
 *   16 u64 update counter        56 u64 checkpoint sequence: CHECKPOINTED: every record up to it
 *   24 u64 heap id (msb)                is in the heap file, and this file's records follow it
 *   32 u64 heap id (lsb)         64 u64 salt (random per generation; seeds every frame's CRCs)
 *                                72 u32 zero, 76 u32 CRC32C of bytes 0-75
 *
 * frame (one per commit group: one write; in {@code always} mode one fdatasync)
 *   0  u32 frame magic "JPWF"    28 u32 CRC32C(salt, the records' CRCs in order): binds them to the frame
 *   4  u32 frame bytes           32 u64 synced through: the last sequence whose fdatasync had returned
 *   8  u64 generation                   when this frame was written
 *   16 u64 first sequence        40 u32 CRC32C(salt, bytes 0-39, 44-47)
 *   24 u32 record count          44 u32 header CRC of the previous frame in this file (0 for the first)
 *                                records follow from 48
 *
 * record (one per committed transaction; sequences are consecutive across frames and files)
 *   0  u64 sequence              16 u32 CRC32C(salt, bytes 0-15, bytes 20-end)
 *   8  u32 record bytes          20 u32 zero (the CRC covers every byte but itself)
 *   12 u32 after-image count     24 after-images: u64 heap offset, u32 length, u32 zero, the bytes padded to 8
 * </pre>
 */
public final class WalFormat {

    private WalFormat() {}

    public static final long MAGIC = 0x4C41574D454D504AL;         // "JPMEMWAL" little-endian
    public static final int VERSION = 1;
    public static final int SECTOR_BYTES = 512;
    public static final long HEADER_SLOT_0 = 0;
    public static final long HEADER_SLOT_1 = SECTOR_BYTES;
    public static final int HEADER_BYTES = 80;
    /** Where frames start. */
    public static final long BODY_START = 4096;

    public static final int H_MAGIC = 0;
    public static final int H_VERSION = 8;
    public static final int H_BYTES = 12;
    public static final int H_COUNTER = 16;
    public static final int H_HEAP_ID_MSB = 24;
    public static final int H_HEAP_ID_LSB = 32;
    public static final int H_GENERATION = 40;
    public static final int H_STATE = 48;
    public static final int H_CHECKPOINT_SEQ = 56;
    public static final int H_SALT = 64;
    public static final int H_CRC = 76;

    public static final int STATE_ARMED = 1;
    public static final int STATE_CHECKPOINTED = 2;

    public static final int FRAME_MAGIC = 0x4657504A;             // "JPWF" little-endian
    public static final int FRAME_HEADER_BYTES = 48;
    public static final int F_MAGIC = 0;
    public static final int F_BYTES = 4;
    public static final int F_GENERATION = 8;
    public static final int F_FIRST_SEQ = 16;
    public static final int F_COUNT = 24;
    public static final int F_RECORDS_CRC = 28;
    public static final int F_SYNCED_THROUGH = 32;
    public static final int F_HEADER_CRC = 40;
    public static final int F_PREVIOUS_CRC = 44;
    /** The most a frame may hold; a group that would be larger is split across syncs. */
    public static final int MAX_FRAME_BYTES = 64 << 20;

    public static final int RECORD_HEADER_BYTES = 24;
    public static final int R_SEQ = 0;
    public static final int R_BYTES = 8;
    public static final int R_COUNT = 12;
    public static final int R_CRC = 16;
    public static final int IMAGE_HEADER_BYTES = 16;

    /** {@return {@code n} rounded up to a multiple of 8} */
    public static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /** {@return a little-endian view of {@code bytes}} */
    public static ByteBuffer le(ByteBuffer bytes) {
        return bytes.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@return a CRC32C already fed with the generation's salt} */
    public static CRC32C salted(long salt) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < 8; i++) {
            crc.update((int) (salt >>> (8 * i)) & 0xFF);
        }
        return crc;
    }

    /** {@return the salted CRC32C of the frame header at {@code from}: every byte but the CRC field} */
    public static int frameHeaderCrc(long salt, ByteBuffer frame, int from) {
        CRC32C crc = salted(salt);
        crc.update(frame.slice(from + F_MAGIC, F_HEADER_CRC - F_MAGIC));
        crc.update(frame.slice(from + F_PREVIOUS_CRC, FRAME_HEADER_BYTES - F_PREVIOUS_CRC));
        return (int) crc.getValue();
    }

    /** {@return the salted CRC32C of the record of {@code bytes} bytes at {@code at}: every byte but the CRC field} */
    public static int recordCrc(long salt, ByteBuffer frame, int at, int bytes) {
        CRC32C crc = salted(salt);
        crc.update(frame.slice(at, R_CRC));
        crc.update(frame.slice(at + R_CRC + 4, bytes - R_CRC - 4));
        return (int) crc.getValue();
    }
}

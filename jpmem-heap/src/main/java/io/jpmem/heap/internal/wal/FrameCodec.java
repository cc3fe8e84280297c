package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.*;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes a commit group as one frame, and checks a frame read back. A frame is valid only as a
 * whole: its header's checksum, every record's checksum, consecutive sequences, and the frame's
 * checksum over its records' checksums (so a record left behind by an older write at the same place
 * can never be mixed into a newer frame) must all agree; otherwise it is a torn write.
 */
final class FrameCodec {

    private FrameCodec() {}

    /** A transaction's after-images, encoded (from record offset 24 on) by the committing thread. */
    record Body(byte[] bytes, int imageCount) {

        static Body of(List<AfterImage> images) {
            long total = 0;
            for (AfterImage image : images) {
                total += IMAGE_HEADER_BYTES + align8(image.bytes().length);
            }
            if (total + RECORD_HEADER_BYTES + FRAME_HEADER_BYTES > MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("a commit of " + total + " bytes of after-images is larger than"
                        + " a log frame (" + MAX_FRAME_BYTES + " bytes)");
            }
            ByteBuffer b = le(ByteBuffer.allocate((int) total));
            for (AfterImage image : images) {
                b.putLong(image.heapOffset()).putInt(image.bytes().length).putInt(0).put(image.bytes());
                b.position((int) align8(b.position()));
            }
            return new Body(b.array(), images.size());
        }

        int recordBytes() {
            return RECORD_HEADER_BYTES + bytes.length;
        }
    }

    /** {@return the bytes of the frame holding {@code bodies}} */
    static int frameBytes(List<Body> bodies) {
        int n = FRAME_HEADER_BYTES;
        for (Body body : bodies) {
            n += body.recordBytes();
        }
        return n;
    }

    /**
     * Encodes {@code bodies} as records {@code firstSeq, firstSeq + 1, ...} into {@code out} from its
     * position, chained to the frame before it by {@code previousCrc}, and noting that every sequence
     * up to {@code syncedThrough} is durable.
     *
     * @return the new frame's header CRC (the next frame's {@code previousCrc})
     */
    static int encode(ByteBuffer out, long salt, long generation, long firstSeq, long syncedThrough, int previousCrc,
            List<Body> bodies) {
        int start = out.position();
        int at = start + FRAME_HEADER_BYTES;
        CRC32C recordsCrc = salted(salt);
        long seq = firstSeq;
        for (Body body : bodies) {
            out.putLong(at + R_SEQ, seq++).putInt(at + R_BYTES, body.recordBytes()).putInt(at + R_COUNT, body.imageCount())
                    .putInt(at + R_CRC + 4, 0);
            out.put(at + RECORD_HEADER_BYTES, body.bytes());
            int crc = recordCrc(salt, out, at, body.recordBytes());
            out.putInt(at + R_CRC, crc);
            recordsCrc.update(new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)});
            at += body.recordBytes();
        }
        out.putInt(start + F_MAGIC, FRAME_MAGIC).putInt(start + F_BYTES, at - start).putLong(start + F_GENERATION, generation)
                .putLong(start + F_FIRST_SEQ, firstSeq).putInt(start + F_COUNT, bodies.size())
                .putInt(start + F_RECORDS_CRC, (int) recordsCrc.getValue()).putLong(start + F_SYNCED_THROUGH, syncedThrough)
                .putInt(start + F_PREVIOUS_CRC, previousCrc);
        int headerCrc = frameHeaderCrc(salt, out, start);
        out.putInt(start + F_HEADER_CRC, headerCrc);
        out.position(at);
        return headerCrc;
    }

    /**
     * {@return the frame's byte size if the 48 header bytes at {@code at} in {@code b} are a valid
     * frame header of this generation, else -1}
     */
    static int headerBytes(ByteBuffer b, int at, long salt, long generation) {
        if (b.getInt(at + F_MAGIC) != FRAME_MAGIC || b.getLong(at + F_GENERATION) != generation
                || b.getInt(at + F_HEADER_CRC) != frameHeaderCrc(salt, b, at)) {
            return -1;
        }
        int bytes = b.getInt(at + F_BYTES);
        int count = b.getInt(at + F_COUNT);
        if (bytes < FRAME_HEADER_BYTES + RECORD_HEADER_BYTES || bytes > MAX_FRAME_BYTES || bytes % 8 != 0 || count < 1) {
            return -1;
        }
        return bytes;
    }

    /** What a whole frame turned out to be. */
    sealed interface Check {
        /** Every record validates. */
        record Valid(long firstSeq, int count) implements Check {}
        /** Torn: some part of it is not what the writer wrote. */
        record Torn(String why) implements Check {}
        /** Validates, but writes outside the heap: corruption, never a torn write. */
        record OutOfBounds(String why) implements Check {}
    }

    /** Checks the whole frame in {@code f} (from index 0, header already valid) against a heap of {@code heapByteSize}. */
    static Check check(ByteBuffer f, long salt, long heapByteSize) {
        int bytes = f.getInt(F_BYTES);
        int count = f.getInt(F_COUNT);
        long seq = f.getLong(F_FIRST_SEQ);
        CRC32C recordsCrc = salted(salt);
        int at = FRAME_HEADER_BYTES;
        for (int i = 0; i < count; i++, seq++) {
            if (at + RECORD_HEADER_BYTES > bytes) {
                return new Check.Torn("record " + i + " runs past the frame");
            }
            int recordBytes = f.getInt(at + R_BYTES);
            if (f.getLong(at + R_SEQ) != seq || recordBytes < RECORD_HEADER_BYTES || recordBytes % 8 != 0
                    || recordBytes > bytes - at) {
                return new Check.Torn("record " + i + " has a bad sequence or length");
            }
            int crc = f.getInt(at + R_CRC);
            if (crc != recordCrc(salt, f, at, recordBytes)) {
                return new Check.Torn("record " + seq + " fails its checksum");
            }
            recordsCrc.update(new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)});
            String bad = checkImages(f, at, recordBytes, heapByteSize);
            if (bad != null) {
                return new Check.OutOfBounds("record " + seq + ": " + bad);
            }
            at += recordBytes;
        }
        if (at != bytes || (int) recordsCrc.getValue() != f.getInt(F_RECORDS_CRC)) {
            return new Check.Torn("the frame's records do not match its header");
        }
        return new Check.Valid(f.getLong(F_FIRST_SEQ), count);
    }

    private static String checkImages(ByteBuffer f, int record, int recordBytes, long heapByteSize) {
        int count = f.getInt(record + R_COUNT);
        int at = record + RECORD_HEADER_BYTES;
        int end = record + recordBytes;
        for (int i = 0; i < count; i++) {
            if (at + IMAGE_HEADER_BYTES > end) {
                return "after-image " + i + " runs past the record";
            }
            long offset = f.getLong(at);
            int length = f.getInt(at + 8);
            if (length < 0 || f.getInt(at + 12) != 0 || at + IMAGE_HEADER_BYTES + align8(length) > end) {
                return "after-image " + i + " runs past the record";
            }
            if (offset < 0 || offset + length > heapByteSize) {
                return "after-image [" + offset + ", " + (offset + length) + ") lies outside the heap of "
                        + heapByteSize + " bytes";
            }
            at += IMAGE_HEADER_BYTES + (int) align8(length);
        }
        return at == end ? null : "the record's after-images do not fill it";
    }

    /** Receives the after-images of a frame, in log order. */
    interface ImageSink {
        /** Called with {@code bytes} (a view, valid during the call) to be written at {@code heapOffset}. */
        void write(long seq, long heapOffset, ByteBuffer bytes) throws java.io.IOException;
    }

    /** Feeds every after-image of the valid frame {@code f} to {@code sink}. */
    static void forEachImage(ByteBuffer f, ImageSink sink) throws java.io.IOException {
        int count = f.getInt(F_COUNT);
        int at = FRAME_HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            long seq = f.getLong(at + R_SEQ);
            int recordBytes = f.getInt(at + R_BYTES);
            int images = f.getInt(at + R_COUNT);
            int p = at + RECORD_HEADER_BYTES;
            for (int k = 0; k < images; k++) {
                long offset = f.getLong(p);
                int length = f.getInt(p + 8);
                sink.write(seq, offset, f.slice(p + IMAGE_HEADER_BYTES, length));
                p += IMAGE_HEADER_BYTES + (int) align8(length);
            }
            at += recordBytes;
        }
    }
}

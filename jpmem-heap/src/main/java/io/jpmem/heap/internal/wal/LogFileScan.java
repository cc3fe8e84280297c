package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one log file's frames of one generation, without writing anything: where the valid frames
 * are, where the log ends, and whether what follows the end is a torn tail (dropped) or damage in
 * the middle (refused).
 *
 * <h2>Why a later valid frame means damage</h2>
 * The log writes one frame per commit group and writes the next frame only after the previous
 * one's fdatasync returned, so at a crash at most the last frame is not durable. An invalid frame
 * followed, anywhere later in the file, by a frame header that validates with this generation's
 * salt therefore cannot be a torn tail: a synced frame was damaged. (Frames of older generations in
 * a recycled file have another salt and never validate; a frame header is only ever written at the
 * end of the valid frames, so after a tail is dropped the next frame overwrites it.)
 *
 * @param frames       the valid frames, in order
 * @param end          where the valid frames end: the next frame goes there
 * @param lastSeq      the last valid sequence ({@code firstSeq - 1} if there are no frames)
 * @param tornTailNote what was dropped at the end, or null if the frames end cleanly
 * @param damage       null, or why the file must be refused
 */
record LogFileScan(List<Frame> frames, long end, long lastSeq, String tornTailNote, String damage) {

    /** A valid frame: {@code bytes} bytes at {@code position}, records {@code firstSeq..lastSeq}. */
    record Frame(long position, int bytes, long firstSeq, long lastSeq) {}

    private static final int SCAN_CHUNK = 1 << 20;

    /**
     * Scans {@code file}'s frames of {@code header}'s generation; the first must hold sequence
     * {@code firstSeq}, and every after-image must lie in a heap of {@code heapByteSize} bytes.
     */
    static LogFileScan of(DiskFile file, WalHeader header, long firstSeq, long heapByteSize) throws IOException {
        long size = file.size();
        long salt = header.salt();
        List<Frame> frames = new ArrayList<>();
        long expected = firstSeq;
        long at = BODY_START;
        ByteBuffer head = le(ByteBuffer.allocate(FRAME_HEADER_BYTES));
        String tail = null;
        while (at + FRAME_HEADER_BYTES <= size) {
            file.read(head.clear(), at);
            int bytes = FrameCodec.headerBytes(head, 0, salt, header.generation());
            if (bytes < 0) {
                tail = head.getInt(F_MAGIC) == 0 ? null : "an invalid frame header at " + at;
                break;
            }
            if (at + bytes > size) {
                tail = "a frame at " + at + " runs past the end of the file";
                break;
            }
            ByteBuffer frame = le(ByteBuffer.allocate(bytes));
            file.read(frame, at);
            FrameCodec.Check check = FrameCodec.check(frame, salt, heapByteSize);
            if (check instanceof FrameCodec.Check.OutOfBounds(String why)) {
                return damaged(file, "the frame at " + at + " is valid but " + why);
            }
            if (check instanceof FrameCodec.Check.Torn(String why)) {
                tail = "a torn frame at " + at + " (" + why + ")";
                break;
            }
            FrameCodec.Check.Valid valid = (FrameCodec.Check.Valid) check;
            if (valid.firstSeq() != expected) {
                return damaged(file, "the frame at " + at + " starts at sequence " + valid.firstSeq() + " where "
                        + expected + " was expected: records are missing");
            }
            long last = expected + valid.count() - 1;
            frames.add(new Frame(at, bytes, expected, last));
            expected = last + 1;
            at += bytes;
        }
        long later = findFrameHeader(file, at + 8, size, salt, header.generation());
        if (later >= 0) {
            return damaged(file, "the log is damaged at " + at + " (" + (tail == null ? "no valid frame" : tail)
                    + ") but a valid frame of the same generation follows at " + later);
        }
        return new LogFileScan(List.copyOf(frames), at, expected - 1, tail, null);
    }

    private static LogFileScan damaged(DiskFile file, String why) {
        return new LogFileScan(List.of(), BODY_START, -1, null, file.name() + ": " + why);
    }

    /** {@return the position of the first valid frame header of the generation in [from, size), or -1} */
    private static long findFrameHeader(DiskFile file, long from, long size, long salt, long generation)
            throws IOException {
        long start = align8(from);
        if (start + FRAME_HEADER_BYTES > size) {
            return -1;
        }
        ByteBuffer chunk = le(ByteBuffer.allocate((int) Math.min(SCAN_CHUNK + FRAME_HEADER_BYTES, size - start)));
        for (long base = start; base + FRAME_HEADER_BYTES <= size; base += SCAN_CHUNK) {
            int length = (int) Math.min(chunk.capacity(), size - base);
            chunk.clear().limit(length);
            file.read(chunk, base);
            for (int i = 0; i + FRAME_HEADER_BYTES <= length && i < SCAN_CHUNK; i += 8) {
                if (chunk.getInt(i) == FRAME_MAGIC && FrameCodec.headerBytes(chunk, i, salt, generation) > 0) {
                    return base + i;
                }
            }
        }
        return -1;
    }
}

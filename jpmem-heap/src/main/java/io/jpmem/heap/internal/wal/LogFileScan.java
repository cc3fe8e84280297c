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
 * <h2>Torn tail or damage</h2>
 * Each frame names the frame before it in the file (its header CRC) and the last sequence that was
 * durable when it was written. The frames are followed while each chains to the one before and
 * starts at the next sequence. Where that stops, the rest is a torn tail (dropped) unless some later
 * frame header of this generation says it was written after the first missing sequence was durable:
 * then a synced frame was damaged, and the log is refused. (In {@code always} mode a frame is written
 * only after the previous one's fdatasync returned, so at most the last frame is not durable; frames
 * of older generations in a recycled file have another salt and never validate; a frame left from
 * before an earlier crash is recognized by its chain.)
 *
 * @param frames       the valid frames, in order
 * @param end          where the valid frames end: the next frame goes there
 * @param lastSeq      the last valid sequence ({@code firstSeq - 1} if there are no frames)
 * @param lastHeaderCrc the header CRC of the last valid frame (0 if none): the next frame chains to it
 * @param tornTailNote what was dropped at the end, or null if the frames end cleanly
 * @param damage       null, or why the file must be refused
 */
record LogFileScan(List<Frame> frames, long end, long lastSeq, int lastHeaderCrc, String tornTailNote, String damage) {

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
        int previousCrc = 0;
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
            if (head.getInt(F_PREVIOUS_CRC) != previousCrc || head.getLong(F_FIRST_SEQ) != expected) {
                if (head.getLong(F_SYNCED_THROUGH) >= expected) {
                    return damaged(file, "the frame at " + at + " (sequence " + head.getLong(F_FIRST_SEQ)
                            + ") does not follow the frame before it, which held sequences before " + expected
                            + ", though it was written after sequence " + head.getLong(F_SYNCED_THROUGH)
                            + " was durable: records are missing");
                }
                tail = "a frame at " + at + " left from before an earlier crash";
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
            long last = expected + valid.count() - 1;
            frames.add(new Frame(at, bytes, expected, last));
            previousCrc = head.getInt(F_HEADER_CRC);
            expected = last + 1;
            at += bytes;
        }
        long later = findDurableFrame(file, at + 8, size, salt, header.generation(), expected);
        if (later >= 0) {
            return damaged(file, "the log is damaged at " + at + " (" + (tail == null ? "no valid frame" : tail)
                    + ") but a valid frame of the same generation, written after sequence " + expected
                    + " was durable, follows at " + later);
        }
        return new LogFileScan(List.copyOf(frames), at, expected - 1, previousCrc, tail, null);
    }

    private static LogFileScan damaged(DiskFile file, String why) {
        return new LogFileScan(List.of(), BODY_START, -1, 0, null, file.name() + ": " + why);
    }

    /**
     * {@return the position of the first valid frame header of the generation in [from, size) written
     * when sequence {@code expected} was durable already, or -1}
     */
    private static long findDurableFrame(DiskFile file, long from, long size, long salt, long generation,
            long expected) throws IOException {
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
                if (chunk.getInt(i) == FRAME_MAGIC && FrameCodec.headerBytes(chunk, i, salt, generation) > 0
                        && chunk.getLong(i + F_SYNCED_THROUGH) >= expected) {
                    return base + i;
                }
            }
        }
        return -1;
    }
}

package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.le;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Applies the records a {@link RecoveredLog} found to a target (the heap's working mapping, or the
 * heap file), oldest first. Idempotent: after-images write the same bytes however often they are
 * applied, so a crash during replay is recovered by replaying again; and applying them over any mix
 * of the checkpoint's old and new pages (a checkpoint torn by a crash) yields the state after the
 * last record, because every byte a later record did not touch is the same in both.
 */
public final class LogReplay {

    private LogReplay() {}

    /** Where replay writes. */
    @FunctionalInterface
    public interface Target {
        /** Writes {@code bytes} (a view valid during the call) at {@code heapOffset}. */
        void write(long heapOffset, ByteBuffer bytes) throws IOException;
    }

    /**
     * Applies every record of {@code log} to {@code target}.
     *
     * @return the number of after-images applied
     * @throws IOException if reading the log or writing the target fails
     */
    public static long apply(RecoveredLog log, Target target) throws IOException {
        long[] images = {0};
        for (RecoveredLog.Segment segment : log.segments()) {
            for (LogFileScan.Frame frame : segment.frames()) {
                ByteBuffer f = le(ByteBuffer.allocate(frame.bytes()));
                segment.file().read(f, frame.position());
                FrameCodec.forEachImage(f, (seq, offset, bytes) -> {
                    target.write(offset, bytes);
                    images[0]++;
                });
            }
        }
        return images[0];
    }
}

package io.jpmem.heap.internal.wal;

import java.util.List;

/**
 * What {@link WalRecovery} found: the records to replay over the heap file's checkpoint, and where
 * the log goes on. Immutable; nothing has been applied or written yet.
 *
 * @param files          the two files and their state (rolled if a checkpoint had not completed)
 * @param segments       the valid frames to replay, oldest first (at most one segment per file)
 * @param checkpointSeq  the last sequence the heap file holds
 * @param lastSeq        the last valid sequence; the next commit gets {@code lastSeq + 1}
 * @param appendPosition where the receiving file's next frame goes
 * @param lastFrameCrc   the header CRC of the receiving file's last valid frame (0 if none): the next frame chains to it
 * @param notes          what was dropped (a torn tail) or repaired (a torn header slot), for the open log line
 */
public record RecoveredLog(WalFiles files, List<Segment> segments, long checkpointSeq, long lastSeq,
        long appendPosition, int lastFrameCrc, List<String> notes) {

    /** The valid frames of one file, with the header whose salt validates them. */
    public record Segment(DiskFile file, WalHeader header, List<LogFileScan.Frame> frames) {}

    /** {@return how many records replay applies} */
    public long recordCount() {
        return lastSeq - checkpointSeq;
    }
}

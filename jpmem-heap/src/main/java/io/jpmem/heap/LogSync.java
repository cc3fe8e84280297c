package io.jpmem.heap;

/**
 * When a commit on a write-ahead-logged heap (a {@link io.jpmem.persist.Durability#POWER} heap on
 * ordinary storage: a disk and the page cache) is made durable. Named as Redis's {@code appendfsync}
 * levels are. Whatever the level, the heap file and its log are never left inconsistent: after a crash
 * or a power loss the heap opens in the state after a prefix of its commits.
 */
public enum LogSync {
    /** Every commit is durable when it returns: its group of commits shares one fdatasync of the log. */
    ALWAYS,
    /**
     * A commit returns once its record is written to the log (it survives the death of the process);
     * the log is fdatasync'd once a second, so a power loss loses at most about the last second.
     */
    EVERYSEC,
    /**
     * A commit returns once its record is written to the log (it survives the death of the process);
     * the log is fdatasync'd only at checkpoints and at close, so a power loss may lose the commits
     * since the last checkpoint.
     */
    NO
}

package io.jpmem.heap.internal.wal;

import java.util.Objects;

/**
 * A commit group could not be made durable: none of its commits is acknowledged, and none of them
 * will be recovered. Thrown to every committer of the group.
 */
public final class WalWriteException extends RuntimeException {

    /** Why the group failed, and what that means for later commits. */
    public enum Reason {
        /**
         * The file system holding the log is full: the log could not grow, and nothing of the group
         * was written. The log is unchanged; later commits succeed once there is space again.
         */
        NO_SPACE(true),
        /**
         * Writing or syncing the group failed; its frame was then voided (overwritten and synced), so
         * it can never be recovered. The log stays usable.
         */
        IO_ERROR(true),
        /**
         * The log has failed for good: a group's write failed and voiding it failed too, so whether
         * that group is durable is unknown. Every later commit fails; reopen the heap to recover.
         */
        LOG_FAILED(false);

        private final boolean logUsable;

        Reason(boolean logUsable) {
            this.logUsable = logUsable;
        }

        /** {@return whether later commits can succeed} */
        public boolean logUsable() {
            return logUsable;
        }
    }

    private final Reason reason;

    /** Creates a failure of a group for {@code reason}. */
    public WalWriteException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    /** {@return why the group failed} */
    public Reason reason() {
        return reason;
    }
}

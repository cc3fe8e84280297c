package io.jpmem.heap.internal.wal;

import java.util.Objects;

/**
 * A heap's write-ahead log was refused at open. Nothing was written: not the log files, not the
 * heap. The engine reports it as the heap's open failure.
 */
public final class WalOpenException extends RuntimeException {

    /** Why a log was refused. */
    public enum Reason {
        /** A log file is not there. */
        MISSING("log file missing"),
        /** A file does not start with the log's magic. */
        NOT_A_LOG("not a jpmem write-ahead log"),
        /** Written by a newer jpmem. */
        NEWER_VERSION("log format version is newer than this jpmem supports"),
        /** The log belongs to another heap (its heap id differs). */
        OTHER_HEAP("log belongs to another heap"),
        /** Damaged: no valid header, generations that do not chain, or damage before the last frame. */
        CORRUPT("log is corrupt"),
        /** The operating system refused a read. */
        IO_ERROR("I/O error reading the log");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** {@return a short description, as used in messages} */
        public String description() {
            return description;
        }
    }

    private final Reason reason;

    /** Creates a refusal for {@code reason}; {@code detail} says what was found. */
    public WalOpenException(Reason reason, String detail, Throwable cause) {
        super(reason.description() + ": " + detail, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    /** {@return why the log was refused} */
    public Reason reason() {
        return reason;
    }
}

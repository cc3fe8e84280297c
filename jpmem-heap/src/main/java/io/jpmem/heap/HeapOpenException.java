package io.jpmem.heap;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A heap file was refused at open or create. The file is left exactly as it was: every check that
 * can refuse a file runs before anything is written to it.
 */
public final class HeapOpenException extends JpmemException {

    /** Why a file was refused. */
    public enum Reason {
        /** No file at that path. */
        NOT_FOUND("no such file"),
        /** Create was asked for a path that already exists. */
        ALREADY_EXISTS("file already exists"),
        /** The file does not start with the jpmem heap magic. */
        NOT_A_HEAP("not a jpmem heap"),
        /** The file is shorter than its header says. */
        TRUNCATED("file is truncated"),
        /** The heap was written by a newer jpmem with a format version this one cannot read. */
        NEWER_VERSION("format version is newer than this jpmem supports"),
        /** Neither header copy passes its checksum. */
        CHECKSUM_MISMATCH("header checksum mismatch"),
        /** The header is valid but a structure it describes is not (layout, type or root table). */
        CORRUPT("heap is corrupt"),
        /** Another process (or another open in this JVM) holds a conflicting lock on the file. */
        LOCKED("heap is already open"),
        /**
         * The heap's write-ahead log ({@code <file>.wal-0} and {@code .wal-1}, which hold its commits since
         * the last checkpoint) is missing, belongs to another heap, is damaged or is shorter than the
         * heap's header says; neither the heap nor the log was changed.
         */
        BAD_LOG("write-ahead log refused"),
        /** The operating system refused a read, lock or mapping. */
        IO_ERROR("I/O error");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** {@return a short description, as used in messages} */
        public String description() {
            return description;
        }
    }

    private final transient Path path;
    private final Reason reason;
    private final List<String> problems;

    /** Creates a refusal of {@code path} for {@code reason}; {@code detail} (may be empty) is its one problem. */
    public HeapOpenException(Path path, Reason reason, String detail, Throwable cause) {
        this(path, reason, detail, cause, detail.isEmpty() ? List.of() : List.of(detail));
    }

    /** Creates a refusal of {@code path} for {@code reason} listing every problem found. */
    public HeapOpenException(Path path, Reason reason, String detail, Throwable cause, List<String> problems) {
        super("cannot open heap " + path + ": " + reason.description() + (detail.isEmpty() ? "" : " (" + detail + ")"),
                cause);
        this.path = Objects.requireNonNull(path);
        this.reason = Objects.requireNonNull(reason);
        this.problems = List.copyOf(problems);
    }

    /** {@return the individual problems found, one per entry; for {@link Reason#CORRUPT} every one} */
    public List<String> problems() {
        return problems;
    }

    /** {@return the file that was refused} */
    public Path path() {
        return path;
    }

    /** {@return why it was refused} */
    public Reason reason() {
        return reason;
    }
}

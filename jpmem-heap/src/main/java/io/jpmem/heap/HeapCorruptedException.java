package io.jpmem.heap;

import java.nio.file.Path;

/**
 * An open heap was found corrupt. The heap stays failed from then on: every later call on it throws
 * a {@code HeapCorruptedException} with the same message (and the first one as its cause), and
 * close does not mark the file as cleanly shut down.
 */
public final class HeapCorruptedException extends JpmemException {

    /** Creates the first failure of the heap at {@code path}; {@code detail} says what was found. */
    public HeapCorruptedException(Path path, String detail) {
        super("heap " + path + " is corrupt: " + detail, null);
    }

    /** Creates a later report of the failure {@code first}, with its message (thrown by every use after it). */
    public HeapCorruptedException(HeapCorruptedException first) {
        super(first.getMessage(), first);
    }
}

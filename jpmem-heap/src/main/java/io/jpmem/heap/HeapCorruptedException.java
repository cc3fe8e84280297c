package io.jpmem.heap;

import java.nio.file.Path;

/**
 * An open heap was found corrupt. The heap stays failed from then on: every later call on it throws
 * a {@code HeapCorruptedException} with the same message (and the first one as its cause), and
 * close does not mark the file as cleanly shut down.
 */
public final class HeapCorruptedException extends JpmemException {

    HeapCorruptedException(Path path, String detail) {
        super("heap " + path + " is corrupt: " + detail, null);
    }

    HeapCorruptedException(HeapCorruptedException first) {
        super(first.getMessage(), first);
    }
}

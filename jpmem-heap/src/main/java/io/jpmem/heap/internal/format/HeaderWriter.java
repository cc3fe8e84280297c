package io.jpmem.heap.internal.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.persist.PersistenceDomain;

/**
 * The two header copies of an open heap and which one is current. An update is written into the
 * copy that does not hold the current header and persisted; the older copy stays intact until the
 * newer one is durable, so a crash leaves one valid copy (the higher sequence number wins at open:
 * {@link HeaderSelection}). Thread-safe.
 *
 * <p>On a heap whose file is written only by checkpoints (a write-ahead-logged heap, whose mapping is
 * private) the copy is also written straight into the file and fdatasync'd: the header is the one
 * part of the file that never goes through the log, because opening reads it before the log.
 */
public final class HeaderWriter {

    private final PersistenceDomain domain;
    /** The heap file, for a private mapping; null when the mapping is the file. */
    private final FileChannel directFile;
    private HeapHeader header;
    private int copy;

    /** @param selected the header and copy chosen at open */
    public HeaderWriter(PersistenceDomain domain, HeaderSelection.Selected selected) {
        this(domain, selected, null);
    }

    /**
     * @param selected   the header and copy chosen at open
     * @param directFile the heap file, written and synced at every update (for a private mapping)
     */
    public HeaderWriter(PersistenceDomain domain, HeaderSelection.Selected selected, FileChannel directFile) {
        this.domain = domain;
        this.directFile = directFile;
        this.header = selected.header();
        this.copy = selected.copyIndex();
    }

    /** {@return the current header} */
    public synchronized HeapHeader current() {
        return header;
    }

    /** {@return the index (0 or 1) of the copy holding the current header} */
    public synchronized int currentCopy() {
        return copy;
    }

    /** Writes {@code next} into the other copy and persists it; it is then the current header. */
    public synchronized void write(HeapHeader next) {
        int target = 1 - copy;
        byte[] bytes = next.encode();
        long at = HEADER_COPY_OFFSETS[target];
        domain.putBytes(at, bytes, 0, bytes.length);
        if (directFile != null) {
            writeToFile(at, bytes);
        } else {
            domain.persist(at, bytes.length);
        }
        header = next;
        copy = target;
    }

    private void writeToFile(long at, byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                directFile.write(buffer, at + buffer.position());
            }
            directFile.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the header of the heap file failed", e);
        }
    }
}

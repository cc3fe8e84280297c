package io.jpmem.heap.internal.format;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.persist.PersistenceDomain;

/**
 * The two header copies of an open heap and which one is current. An update is written into the
 * copy that does not hold the current header and persisted; the older copy stays intact until the
 * newer one is durable, so a crash leaves one valid copy (the higher sequence number wins at open:
 * {@link HeaderSelection}). Thread-safe.
 */
public final class HeaderWriter {

    private final PersistenceDomain domain;
    private HeapHeader header;
    private int copy;

    /** @param selected the header and copy chosen at open */
    public HeaderWriter(PersistenceDomain domain, HeaderSelection.Selected selected) {
        this.domain = domain;
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
        domain.persist(at, bytes.length);
        header = next;
        copy = target;
    }
}

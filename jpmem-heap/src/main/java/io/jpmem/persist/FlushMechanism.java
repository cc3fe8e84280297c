package io.jpmem.persist;

/** How a {@link PersistenceDomain} makes stores durable. Shown by tools and in the open log line. */
public enum FlushMechanism {
    /** No flush: the page cache keeps every store ({@link Durability#PROCESS}, and read-only heaps). */
    PAGE_CACHE("page cache"),
    /** libpmem's {@code pmem_flush} and {@code pmem_drain} on memory that {@code pmem_is_pmem} accepts. */
    LIBPMEM("libpmem"),
    /** A {@code MAP_SYNC} (DAX) mapping flushed by the JDK's cache-line writeback; libpmem is absent. */
    JDK_SYNC_WRITEBACK("MAP_SYNC + JDK writeback"),
    /** {@code msync} of the flushed pages of an ordinary file, at drain. */
    MSYNC("msync"),
    /**
     * A private (copy-on-write) mapping whose commits are appended to a write-ahead log and made
     * durable by fdatasync; checkpoints write the pages to the heap file ({@link WalDomain}).
     */
    WAL("write-ahead log + fdatasync"),
    /** The recording model of {@link SimulatedDomain}. */
    SIMULATED("simulated");

    private final String label;

    FlushMechanism(String label) {
        this.label = label;
    }

    /** {@return a short human-readable name, e.g. {@code "msync"}} */
    public String label() {
        return label;
    }
}

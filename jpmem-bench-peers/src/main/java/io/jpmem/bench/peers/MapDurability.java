package io.jpmem.bench.peers;

/**
 * The two durability levels the peer benchmarks compare at. Each {@link DurableMapUnderTest} states
 * in {@link DurableMapUnderTest#settings()} which of its own settings gives the level, and what it
 * really guarantees; docs/collections/peer-benchmarks.md collects them.
 */
public enum MapDurability {
    /**
     * Process-crash durable: when a put returns, the new value is in the OS page cache (a shared
     * mapping, or a file written with write(2)), so it survives a crash of the process (kill -9) but
     * not necessarily a power failure or a kernel crash. jpmem's {@code Durability.PROCESS}.
     */
    PROCESS,
    /**
     * Power-fail durable: when a put returns, the new value has been flushed to stable storage
     * (fsync/fdatasync/msync or cache-line flush + fence), so it survives a power failure.
     * jpmem's {@code Durability.POWER}.
     */
    POWER
}

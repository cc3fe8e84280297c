package io.jpmem.persist;

/**
 * What "durable" means for a heap: which failure a flushed and drained store survives.
 *
 * <p>The mode is chosen when a heap is opened and is reported by
 * {@link PersistenceDomain#durability()} and in the heap's open log line.
 */
public enum Durability {
    /**
     * Survives the death of the JVM (SIGKILL, OOM, a crash), not the loss of power or of the
     * operating system. Stores to the shared mapping land in the page cache, which outlives the
     * process, so flushing costs nothing; a drain is a compiler store-store fence that keeps the
     * order in which stores reach memory.
     */
    PROCESS,
    /**
     * Survives power loss. On persistent memory, flush writes back cache lines (libpmem, or the
     * JDK's writeback on a {@code MAP_SYNC} mapping) and drain is a store fence; on an ordinary
     * file, drain writes the flushed pages back with {@code msync}.
     */
    POWER,
    /**
     * For tests only: a model of a persistence domain in which only flushed lines are durable.
     * See {@link SimulatedDomain}.
     */
    SIMULATED
}

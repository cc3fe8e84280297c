package io.jpmem.persist;

import java.lang.foreign.MemorySegment;

/**
 * The one path by which bytes reach a heap's mapping and become durable.
 *
 * <p>Every store to a heap, every flush and every fence passes through this interface, so that the
 * mode in force decides what "durable" costs, and so that the {@link SimulatedDomain} can record
 * all of them. Loads read the {@link #view()} directly.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A store is <em>visible</em> to other threads as any memory store, and <em>durable</em>
 *       only after {@link #flush} of a range covering it followed by {@link #drain} on the same
 *       thread (or {@link #persist}).
 *   <li>Aligned stores of 1, 2, 4 and 8 bytes are single stores, never torn; the heap's atomic
 *       commit points are 8-byte aligned stores. Misaligned {@code putShort/putInt/putLong} throw
 *       {@link IllegalArgumentException}.
 *   <li>{@code drain} orders: every store this thread flushed before it is durable before any
 *       store made after it can become durable.
 *   <li>Offsets are byte offsets from the start of the mapping; an out-of-range offset throws
 *       {@link IndexOutOfBoundsException} and never touches memory.
 *   <li>All multi-byte values are little-endian, whatever the platform (the file format's order).
 * </ul>
 */
public sealed interface PersistenceDomain permits MappedDomain {

    /** {@return the durability mode this domain implements} */
    Durability durability();

    /** {@return how this domain flushes} */
    FlushMechanism mechanism();

    /** {@return a read-only view of the whole mapping, for loads} */
    MemorySegment view();

    /** {@return the size of the mapping in bytes} */
    long byteSize();

    /** Stores one byte. */
    void putByte(long offset, byte value);

    /** Stores a 2-byte aligned little-endian short. */
    void putShort(long offset, short value);

    /** Stores a 4-byte aligned little-endian int. */
    void putInt(long offset, int value);

    /** Stores an 8-byte aligned little-endian long: a single atomic store. */
    void putLong(long offset, long value);

    /** Copies {@code length} bytes of {@code source} from {@code sourceIndex} to {@code offset}. */
    void putBytes(long offset, byte[] source, int sourceIndex, int length);

    /** Copies all of {@code source} to {@code offset}. */
    void putBytes(long offset, MemorySegment source);

    /** Sets {@code byteSize} bytes from {@code offset} to {@code value}. */
    void fill(long offset, long byteSize, byte value);

    /**
     * Starts writing back the cache lines (or pages) covering the range. Durable only after the
     * next {@link #drain} of this thread.
     */
    void flush(long offset, long byteSize);

    /**
     * {@link #putBytes(long, byte[], int, int)} then {@link #flush} of the range: the copy is durable
     * after this thread's next {@link #drain}. On persistent memory through libpmem the copy is made
     * with non-temporal stores ({@code pmem_memcpy_nodrain}), which bypass the cache, so no cache
     * line of it is left to write back: for filling new blocks.
     */
    default void putBytesAndFlush(long offset, byte[] source, int sourceIndex, int length) {
        putBytes(offset, source, sourceIndex, length);
        flush(offset, length);
    }

    /** Waits until everything this thread flushed is durable; a store fence. */
    void drain();

    /**
     * Makes the range durable no later than anything made durable after this call (an allocator's
     * structure published at once: a chunk turned into a slab, say). {@link #persist} on every
     * domain but the {@link WalDomain}, which appends the range's bytes to its log without waiting
     * for their sync: any later commit that depends on them is behind them in the log.
     */
    default void publish(long offset, long byteSize) {
        persist(offset, byteSize);
    }

    /** {@link #publish} of everything this thread flushed: {@link #drain} on every domain but the {@link WalDomain}. */
    default void publishFlushed() {
        drain();
    }

    /** {@link #flush} then {@link #drain}: the range is durable when this returns. */
    default void persist(long offset, long byteSize) {
        flush(offset, byteSize);
        drain();
    }

    /**
     * Creates the domain for a mapping.
     *
     * @param durability the mode asked for
     * @param mapping the writable shared mapping of the heap file (or a read-only one, for which
     *     only {@link Durability#PROCESS} is allowed)
     * @param syncMapping whether {@code mapping} was made with {@code MAP_SYNC} (a DAX file)
     * @return a domain for {@code POWER} that uses libpmem when it is installed and the memory is
     *     persistent memory, JDK writeback on a {@code MAP_SYNC} mapping, and {@code msync} otherwise
     * @throws IllegalArgumentException if {@code mapping} is read-only and durability is not
     *     {@code PROCESS}, or if {@code SIMULATED} is asked for a mapping larger than
     *     {@link SimulatedDomain#MAX_BYTE_SIZE}
     */
    static PersistenceDomain of(Durability durability, MemorySegment mapping, boolean syncMapping) {
        if (mapping.isReadOnly() && durability != Durability.PROCESS) {
            throw new IllegalArgumentException("a read-only mapping has no " + durability + " domain");
        }
        return switch (durability) {
            case PROCESS -> new PageCacheDomain(mapping);
            case SIMULATED -> new SimulatedDomain(mapping);
            case POWER -> {
                var libpmem = Libpmem.instance();
                if (libpmem.isPresent() && (syncMapping || libpmem.get().isPmem(mapping))) {
                    yield new LibpmemDomain(mapping, libpmem.get());
                }
                yield syncMapping ? new SyncMappingDomain(mapping) : new MsyncDomain(mapping);
            }
        };
    }

    /**
     * {@return whether {@code mapping} is persistent memory, as libpmem's {@code pmem_is_pmem} says
     * (false without libpmem)} {@code PMEM_IS_PMEM_FORCE=1} makes libpmem say so of any mapping.
     */
    static boolean isPersistentMemory(MemorySegment mapping) {
        return Libpmem.instance().map(l -> l.isPmem(mapping)).orElse(false);
    }

    /** {@return whether libpmem could be loaded in this JVM (it may still not be used)} */
    static boolean libpmemAvailable() {
        return Libpmem.instance().isPresent();
    }
}

package io.jpmem.persist;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** {@link Durability#POWER} on persistent memory: cache-line flush and store fence through libpmem. */
final class LibpmemDomain extends MappedDomain {

    private final Libpmem libpmem;

    LibpmemDomain(MemorySegment mapping, Libpmem libpmem) {
        super(mapping);
        this.libpmem = libpmem;
    }

    @Override
    public Durability durability() {
        return Durability.POWER;
    }

    @Override
    public FlushMechanism mechanism() {
        return FlushMechanism.LIBPMEM;
    }

    @Override
    public void flush(long offset, long byteSize) {
        // Passing a slice (not a raw address) makes the downcall keep the mapping alive for its
        // duration and fail with IllegalStateException after close, never touch unmapped memory.
        libpmem.flush(mapping.asSlice(offset, byteSize));
    }

    @Override
    public void putBytesAndFlush(long offset, byte[] source, int sourceIndex, int length) {
        Objects.checkFromIndexSize(sourceIndex, length, source.length);
        libpmem.copyNoDrain(mapping.asSlice(offset, length), MemorySegment.ofArray(source).asSlice(sourceIndex, length));
    }

    @Override
    public void drain() {
        BarrierHook.reached();
        libpmem.drain();
    }
}

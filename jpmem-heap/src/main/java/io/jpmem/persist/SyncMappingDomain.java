package io.jpmem.persist;

import java.lang.foreign.MemorySegment;

/**
 * {@link Durability#POWER} on a {@code MAP_SYNC} (DAX) mapping without libpmem: the JDK's
 * {@code force} on such a mapping writes back cache lines instead of calling msync.
 */
final class SyncMappingDomain extends MappedDomain {

    SyncMappingDomain(MemorySegment mapping) {
        super(mapping);
    }

    @Override
    public Durability durability() {
        return Durability.POWER;
    }

    @Override
    public FlushMechanism mechanism() {
        return FlushMechanism.JDK_SYNC_WRITEBACK;
    }

    @Override
    public void flush(long offset, long byteSize) {
        checkRange(offset, byteSize);
        if (byteSize == 0) {
            return;
        }
        long[] lines = unitRange(offset, byteSize, LINE);
        mapping.asSlice(lines[0], lines[1] - lines[0]).force();
    }

    @Override
    public void drain() {
        // The JDK's writeback is bracketed by store fences already; keep the compiler honest too.
        BarrierHook.reached();
        storeStoreFence();
    }
}

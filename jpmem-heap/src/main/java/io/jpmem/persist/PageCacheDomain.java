package io.jpmem.persist;

import java.lang.foreign.MemorySegment;

/**
 * {@link Durability#PROCESS}: the page cache outlives the process, so flush has nothing to do and
 * drain only has to stop the JIT from moving later stores before earlier ones.
 */
final class PageCacheDomain extends MappedDomain {

    PageCacheDomain(MemorySegment mapping) {
        super(mapping);
    }

    @Override
    public Durability durability() {
        return Durability.PROCESS;
    }

    @Override
    public FlushMechanism mechanism() {
        return FlushMechanism.PAGE_CACHE;
    }

    @Override
    public void flush(long offset, long byteSize) {
        checkRange(offset, byteSize);
    }

    @Override
    public void drain() {
        BarrierHook.reached();
        storeStoreFence();
    }
}

package io.jpmem.persist;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@link Durability#POWER} on an ordinary file: flush records the pages of the range, drain
 * writes them back with {@code msync} (the JDK's {@code MemorySegment.force}).
 *
 * <p>Flushed ranges are kept per thread, so a drain writes back what the calling thread flushed
 * (and, as msync works on pages, whatever else is dirty on those pages), never waits for another
 * thread's ranges, and never loses a range another thread flushed but has not drained yet.
 */
final class MsyncDomain extends MappedDomain {

    static final long PAGE = 4096;

    private final ThreadLocal<PageRanges> pending = ThreadLocal.withInitial(PageRanges::new);

    MsyncDomain(MemorySegment mapping) {
        super(mapping);
    }

    @Override
    public Durability durability() {
        return Durability.POWER;
    }

    @Override
    public FlushMechanism mechanism() {
        return FlushMechanism.MSYNC;
    }

    @Override
    public void flush(long offset, long byteSize) {
        checkRange(offset, byteSize);
        if (byteSize == 0) {
            return;
        }
        long[] pages = unitRange(offset, byteSize, PAGE);
        pending.get().add(pages[0], pages[1]);
    }

    @Override
    public void drain() {
        BarrierHook.reached();
        storeStoreFence();
        PageRanges ranges = pending.get();
        for (int i = 0; i < ranges.count; i++) {
            long start = ranges.starts[i];
            mapping.asSlice(start, ranges.ends[i] - start).force();
        }
        ranges.count = 0;
    }

    /** A short list of page ranges; adjacent or overlapping ranges are merged as they come. */
    private static final class PageRanges {
        long[] starts = new long[8];
        long[] ends = new long[8];
        int count;

        void add(long start, long end) {
            for (int i = 0; i < count; i++) {
                if (start <= ends[i] && end >= starts[i]) {
                    starts[i] = Math.min(starts[i], start);
                    ends[i] = Math.max(ends[i], end);
                    return;
                }
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
        }
    }
}

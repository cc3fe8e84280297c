package io.jpmem.persist;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Stores into a mapped segment; the subclasses differ only in what flush and drain do.
 * All multi-byte layouts are little-endian and naturally aligned.
 */
abstract sealed class MappedDomain implements PersistenceDomain
        permits PageCacheDomain, LibpmemDomain, SyncMappingDomain, MsyncDomain, SimulatedDomain, WalDomain {

    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Cache-line size assumed for flush granularity. */
    static final int LINE = 64;

    final MemorySegment mapping;
    private final MemorySegment view;

    MappedDomain(MemorySegment mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.view = mapping.asReadOnly();
    }

    @Override
    public final MemorySegment view() {
        return view;
    }

    @Override
    public final long byteSize() {
        return mapping.byteSize();
    }

    @Override
    public void putByte(long offset, byte value) {
        mapping.set(ValueLayout.JAVA_BYTE, offset, value);
    }

    @Override
    public void putShort(long offset, short value) {
        mapping.set(SHORT, offset, value);
    }

    @Override
    public void putInt(long offset, int value) {
        mapping.set(INT, offset, value);
    }

    @Override
    public void putLong(long offset, long value) {
        mapping.set(LONG, offset, value);
    }

    @Override
    public void putBytes(long offset, byte[] source, int sourceIndex, int length) {
        MemorySegment.copy(source, sourceIndex, mapping, ValueLayout.JAVA_BYTE, offset, length);
    }

    @Override
    public void putBytes(long offset, MemorySegment source) {
        MemorySegment.copy(source, 0, mapping, offset, source.byteSize());
    }

    @Override
    public void fill(long offset, long byteSize, byte value) {
        mapping.asSlice(offset, byteSize).fill(value);
    }

    /**
     * {@return the range {@code [offset, offset + byteSize)} widened to whole units (cache lines or
     * pages) and clipped to the mapping, as {@code {start, end}}}
     */
    final long[] unitRange(long offset, long byteSize, long unit) {
        return new long[] {offset & -unit, Math.min(mapping.byteSize(), (offset + byteSize + unit - 1) & -unit)};
    }

    /** Checks a flush range, so that every mode rejects the same bad ranges. */
    final void checkRange(long offset, long byteSize) {
        Objects.checkFromIndexSize(offset, byteSize, mapping.byteSize());
    }

    /** The compiler fence every mode needs at an ordering point. */
    static void storeStoreFence() {
        VarHandle.storeStoreFence();
    }

    @Override
    public String toString() {
        return durability() + " (" + mechanism().label() + ")";
    }
}

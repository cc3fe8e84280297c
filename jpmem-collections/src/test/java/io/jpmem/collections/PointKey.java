package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.TypeLayout;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.RawPersistentObject;

/** A hand-written persistent class with content equality: keys of the equals-compared kind in the tests. */
@SuppressWarnings("exports") // a test class: its supertype is exported to the jpmem modules only
public final class PointKey extends RawPersistentObject {

    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofRecord(PointKey.class.getName(), 8,
                FieldLayout.of("x", FieldKind.LONG, 0));
    }

    public PointKey(long x) {
        allocateHeader();
        heap().transaction(tx -> tx.putLong(header(), x));
    }

    public PointKey(Wrap wrap, ObjectSpace space, long ref) {
        super(wrap, space, ref);
    }

    public long x() {
        return heap().getLong(header());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointKey p && p.x() == x();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(x() * 31 + 7);
    }

    @Override
    public String toString() {
        return "PointKey(" + x() + ")";
    }
}

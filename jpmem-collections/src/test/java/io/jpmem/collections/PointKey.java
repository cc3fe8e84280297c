package io.jpmem.collections;

import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.spi.RawPersistentObject;
import io.jpmem.objects.Wrap;

/** A hand-written persistent class with content equality: keys of the equals-compared kind in the tests. */
public final class PointKey extends RawPersistentObject {

    public static String $jpmem$layout() {
        return "8;x:LONG:0";
    }

    public PointKey(long x) {
        allocateHeader();
        atomically(tx -> tx.putLong(header(), x));
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

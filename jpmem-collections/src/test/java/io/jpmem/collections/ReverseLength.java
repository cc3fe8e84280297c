package io.jpmem.collections;

import java.util.Comparator;

/** A comparator a PSortedMap can keep: longer strings first, then reverse natural order. */
public final class ReverseLength implements Comparator<String> {

    /** The comparator. */
    public ReverseLength() {
    }

    @Override
    public int compare(String a, String b) {
        int c = Integer.compare(b.length(), a.length());
        return c != 0 ? c : b.compareTo(a);
    }
}

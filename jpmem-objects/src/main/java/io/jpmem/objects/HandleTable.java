package io.jpmem.objects;

import java.lang.ref.WeakReference;

/**
 * Canonical handles by block reference: an open-addressing table of weakly held handles keyed by a
 * primitive {@code long}, read without locking or boxing (a dereference of a persistent reference is
 * a hot path), written under the table's lock. Entries are immutable; a reader that misses an entry
 * being published falls back to the locked path, which sees it. Cleared entries are dropped when the
 * table is rebuilt.
 */
final class HandleTable {

    private record Entry(long ref, WeakReference<Object> handle) {}

    private volatile Entry[] table = new Entry[1024];
    private int used;

    /** {@return the live handle of {@code ref}, or null} Lock-free. */
    Object get(long ref) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = mix(ref) & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.ref == ref) {
                return e.handle.get();
            }
        }
    }

    /** {@return the live handle of {@code ref}, creating it with {@code factory} if there is none} */
    synchronized Object getOrCreate(long ref, java.util.function.LongFunction<Object> factory) {
        Object existing = get(ref);
        if (existing != null) {
            return existing;
        }
        Object created = factory.apply(ref);
        put(ref, created);
        return created;
    }

    /** Records {@code handle} as the canonical handle of {@code ref}. */
    synchronized void put(long ref, Object handle) {
        Entry[] t = table;
        if ((used + 1) * 2 > t.length) {
            t = rebuild(t);
        }
        int mask = t.length - 1;
        for (int i = mix(ref) & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null || e.ref == ref) {
                if (e == null) {
                    used++;
                }
                t[i] = new Entry(ref, new WeakReference<>(handle));
                table = t; // publish
                return;
            }
        }
    }

    /** Forgets the handle of {@code ref} (its block was freed, and the reference may be reused). */
    synchronized void remove(long ref) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = mix(ref) & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return;
            }
            if (e.ref == ref) {
                t[i] = new Entry(ref, new WeakReference<>(null)); // a cleared entry keeps the probe chain; rebuilds drop it
                table = t;
                return;
            }
        }
    }

    private Entry[] rebuild(Entry[] old) {
        int live = 0;
        for (Entry e : old) {
            if (e != null && e.handle.get() != null) {
                live++;
            }
        }
        int capacity = old.length;
        while ((live + 1) * 4 > capacity) {
            capacity *= 2;
        }
        Entry[] t = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry e : old) {
            if (e != null && e.handle.get() != null) {
                int i = mix(e.ref) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = e;
            }
        }
        used = live;
        table = t;
        return t;
    }

    private static int mix(long ref) {
        long h = ref * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}

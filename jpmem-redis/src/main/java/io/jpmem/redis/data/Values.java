package io.jpmem.redis.data;

import java.util.Collection;
import java.util.Map;

/** What a key's value is, for TYPE and for freeing a value the key space drops. */
public final class Values {

    private Values() {}

    /** {@return Redis's TYPE name of a value} */
    public static String typeName(Object value) {
        return switch (value) {
            case null -> "none";
            case byte[] ignored -> "string";
            case ZSet ignored -> "zset";
            case java.util.Deque<?> ignored -> "list";
            case java.util.Set<?> ignored -> "set";
            case Map<?, ?> ignored -> "hash";
            default -> throw new IllegalStateException("unknown value " + value.getClass().getName());
        };
    }

    /**
     * Frees the blocks of a value the key space no longer holds. A string is a copy the map freed
     * already; a collection is emptied (freeing its elements) — its header becomes unreachable and
     * the recovery GC or {@code jpmem gc} reclaims it. (Freeing headers directly waits for a
     * collection-level free in jpmem-collections.)
     */
    static void free(Object value) {
        switch (value) {
            case null -> { }
            case byte[] ignored -> { }
            case ZSet zset -> zset.clear();
            case Collection<?> c -> c.clear();
            case Map<?, ?> m -> m.clear();
            default -> { }
        }
    }
}

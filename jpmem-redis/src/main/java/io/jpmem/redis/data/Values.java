package io.jpmem.redis.data;

import io.jpmem.collections.PDeque;
import io.jpmem.collections.PHashMap;
import io.jpmem.collections.PHashSet;
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
     * Frees every block of a value the key space no longer holds, in the caller's transaction: a
     * string is a copy the key space's map freed already; a collection frees its elements, its
     * internal blocks and its header, and drops its handle.
     */
    static void free(Object value) {
        switch (value) {
            case null -> { }
            case byte[] ignored -> { }
            case ZSet zset -> zset.free();
            case PDeque<?> deque -> deque.free();
            case PHashMap<?, ?> map -> map.free();
            case PHashSet<?> set -> set.free();
            default -> throw new IllegalStateException("unknown value " + value.getClass().getName());
        }
    }
}

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
            case Stream ignored -> "stream";
            case java.util.Deque<?> ignored -> "list";
            case java.util.Set<?> ignored -> "set";
            case Map<?, ?> ignored -> "hash";
            default -> throw new IllegalStateException("unknown value " + value.getClass().getName());
        };
    }

    /**
     * {@return a deep copy of a value, new in the caller's transaction (COPY)}: a string is copied by
     * the key space's map when it is stored; a collection gets new blocks for all its elements.
     */
    @SuppressWarnings("unchecked")
    public static Object copy(Object value) {
        return switch (value) {
            case byte[] bytes -> bytes.clone();
            case ZSet zset -> {
                ZSet out = new ZSet();
                zset.byRank(0, zset.size()).forEach(e -> out.put(e.member(), e.score()));
                yield out;
            }
            case Stream stream -> stream.copy();
            case PDeque<?> deque -> {
                PDeque<byte[]> out = new PDeque<>();
                ((PDeque<byte[]>) deque).forEach(out::addLast);
                yield out;
            }
            case PHashMap<?, ?> map -> {
                PHashMap<byte[], byte[]> out = new PHashMap<>();
                ((PHashMap<byte[], byte[]>) map).forEach(out::set);
                yield out;
            }
            case PHashSet<?> set -> {
                PHashSet<byte[]> out = new PHashSet<>();
                ((PHashSet<byte[]>) set).forEach(out::add);
                yield out;
            }
            default -> throw new IllegalStateException("unknown value " + value.getClass().getName());
        };
    }

    /**
     * {@return what OBJECT ENCODING answers for a value}: the name of the Redis encoding closest to how
     * jpmem-redis stores it. A string is always a separate byte block ({@code raw}: no {@code int} or
     * {@code embstr} forms); a list a chunked deque ({@code quicklist}); a hash and a set a chained
     * hash table ({@code hashtable}; no {@code listpack} or {@code intset} forms for small ones); a
     * sorted set a B+tree plus a hash map ({@code skiplist}, Redis's name for its tree-plus-dict form); a stream
     * {@code stream}, as in Redis.
     */
    public static String encoding(Object value) {
        return switch (value) {
            case byte[] ignored -> "raw";
            case ZSet ignored -> "skiplist";
            case Stream ignored -> "stream";
            case PDeque<?> ignored -> "quicklist";
            case PHashMap<?, ?> ignored -> "hashtable";
            case PHashSet<?> ignored -> "hashtable";
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
            case Stream stream -> stream.free();
            case PDeque<?> deque -> deque.free();
            case PHashMap<?, ?> map -> map.free();
            case PHashSet<?> set -> set.free();
            default -> throw new IllegalStateException("unknown value " + value.getClass().getName());
        }
    }
}

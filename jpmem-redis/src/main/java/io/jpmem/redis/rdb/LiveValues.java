package io.jpmem.redis.rdb;

import io.jpmem.collections.PDeque;
import io.jpmem.collections.PHashMap;
import io.jpmem.collections.PHashSet;
import io.jpmem.redis.data.ZSet;
import io.jpmem.redis.rdb.RdbValue.Field;
import io.jpmem.redis.rdb.RdbValue.Scored;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Between the dataset's persistent values and the RDB form: {@link #write} streams a live value
 * into an {@link RdbWriter}; {@link #check} and {@link #create} turn an {@link RdbValue} into a new
 * persistent value (in the caller's transaction).
 */
public final class LiveValues {

    private LiveValues() {}

    /**
     * Why a stream has no RDB form here: the writer has no stream type yet, so SAVE and BGSAVE of a
     * dataset holding one fail (the file is not replaced) and DUMP of one is an error.
     */
    public static final String STREAMS_UNSUPPORTED = "jpmem-redis does not write streams in RDB form yet";

    /** Writes the live value {@code value} under {@code key} (null: a DUMP payload's value alone). */
    @SuppressWarnings("unchecked")
    public static void write(RdbWriter w, byte[] key, Object value) throws IOException {
        switch (value) {
            case byte[] bytes -> w.string(key, bytes);
            case PDeque<?> deque -> w.list(key, deque.size(), (PDeque<byte[]>) deque);
            case PHashSet<?> set -> w.set(key, set.size(), (PHashSet<byte[]>) set);
            case PHashMap<?, ?> map -> w.hash(key, map.longSize(), (PHashMap<byte[], byte[]>) map);
            case ZSet zset -> w.sortedSet(key, zset.size(), () -> byRank(zset));
            case io.jpmem.redis.data.Stream ignored -> throw new IOException(STREAMS_UNSUPPORTED);
            default -> throw new IllegalStateException("unknown value " + value.getClass().getName());
        }
    }

    /** The members of a sorted set in score order, a page of ranks at a time. */
    private static Iterator<Scored> byRank(ZSet zset) {
        return new Iterator<>() {
            private static final int PAGE = 1024;
            private final long size = zset.size();
            private long next;
            private List<ZSet.Entry> page = List.of();
            private int inPage;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Scored next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (inPage == page.size()) {
                    page = zset.byRank(next, Math.min(size, next + PAGE));
                    inPage = 0;
                }
                ZSet.Entry e = page.get(inPage++);
                next++;
                return new Scored(e.member(), e.score());
            }
        };
    }

    /**
     * Checks what Redis checks when it loads a value: no duplicate set members, hash fields or
     * sorted-set members, no NaN score.
     *
     * @throws RdbException naming the problem
     */
    public static void check(RdbValue value) throws RdbException {
        switch (value) {
            case RdbValue.Str ignored -> { }
            case RdbValue.ListOf ignored -> { }
            case RdbValue.SetOf s -> unique(s.members(), "set member");
            case RdbValue.HashOf h -> unique(h.fields().stream().map(Field::name).toList(), "hash field");
            case RdbValue.SortedSetOf z -> {
                unique(z.members().stream().map(Scored::member).toList(), "sorted set member");
                for (Scored m : z.members()) {
                    if (Double.isNaN(m.score())) {
                        throw new RdbException("corrupt: a sorted set member has a NaN score");
                    }
                }
            }
        }
    }

    private static void unique(List<byte[]> items, String what) throws RdbException {
        Set<ByteBuffer> seen = new HashSet<>();
        for (byte[] item : items) {
            if (!seen.add(ByteBuffer.wrap(item))) {
                throw new RdbException("corrupt: a duplicate " + what);
            }
        }
    }

    /** {@return whether the value is an empty collection (Redis skips those in files and refuses them in payloads)} */
    public static boolean isEmptyCollection(RdbValue value) {
        return !(value instanceof RdbValue.Str) && value.size() == 0;
    }

    /** {@return a new persistent value holding {@code value} (checked by {@link #check}), made in the caller's transaction} */
    public static Object create(RdbValue value) {
        return switch (value) {
            case RdbValue.Str s -> s.value();
            case RdbValue.ListOf l -> {
                PDeque<byte[]> out = new PDeque<>();
                l.elements().forEach(out::addLast);
                yield out;
            }
            case RdbValue.SetOf s -> {
                PHashSet<byte[]> out = new PHashSet<>();
                s.members().forEach(out::add);
                yield out;
            }
            case RdbValue.HashOf h -> {
                PHashMap<byte[], byte[]> out = new PHashMap<>();
                h.fields().forEach(f -> out.set(f.name(), f.value()));
                yield out;
            }
            case RdbValue.SortedSetOf z -> {
                ZSet out = new ZSet();
                z.members().forEach(m -> out.put(m.member(), m.score()));
                yield out;
            }
        };
    }
}

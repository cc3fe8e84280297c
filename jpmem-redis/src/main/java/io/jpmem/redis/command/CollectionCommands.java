package io.jpmem.redis.command;

import io.jpmem.redis.data.Dataset;
import java.util.function.Supplier;

/** What the list, hash, set and sorted-set commands share: typed lookup, creation, and deletion of emptied keys. */
final class CollectionCommands {

    private CollectionCommands() {}

    static Dataset data(Request r) {
        return r.server().dataset();
    }

    /** {@return the value of {@code key} if it is a {@code type}, or null} @throws CommandError WRONGTYPE */
    static <T> T existing(Request r, byte[] key, Class<T> type) {
        return data(r).lookup(r.client().db(), key, type);
    }

    /** {@return the value of {@code key}, created empty if the key does not exist} @throws CommandError WRONGTYPE */
    static <T> T orCreate(Request r, byte[] key, Class<T> type, Supplier<T> create) {
        T value = existing(r, key, type);
        if (value == null) {
            value = create.get();
            data(r).set(r.client().db(), key, value, false);
        }
        return value;
    }

    /** Deletes {@code key} if its collection became empty, as Redis does. */
    static void deleteIfEmpty(Request r, byte[] key, boolean empty) {
        if (empty) {
            data(r).delete(r.client().db(), key);
        }
    }

    static CommandSpec spec(String name, int arity, java.util.EnumSet<CommandSpec.Flag> flags, int first, int last, int step,
                            CommandSpec.Handler handler) {
        return new CommandSpec(name, arity, flags, first, last, step, handler);
    }

    /** Parses a COUNT-style argument that must be positive. */
    static long positive(Request r, int i) {
        long n = r.longArg(i);
        if (n < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        return n;
    }

    /**
     * {@return [from, to) for Redis's inclusive start/stop indices (negative: from the end), clamped
     * to [0, size); from == to when the range is empty}
     */
    static long[] indexRange(long start, long stop, long size) {
        if (start < 0) {
            start = Math.max(0, size + start);
        }
        if (stop < 0) {
            stop = size + stop;
        }
        stop = Math.min(stop, size - 1);
        return start > stop ? new long[] {0, 0} : new long[] {start, stop + 1};
    }

    /**
     * HSCAN/SSCAN/ZSCAN {@code key cursor [MATCH pattern] [COUNT count]} over {@code elements}: the
     * cursor is the position in the collection's iteration order (stable while it does not change),
     * and each element matched by its name is written as {@code slots} bulk strings by {@code write}.
     */
    static <T> void scan(Request r, java.util.Iterator<T> elements, java.util.function.Function<T, byte[]> name,
                         int slots, java.util.function.BiConsumer<io.jpmem.redis.protocol.RespWriter, T> write) {
        long cursor = Numbers.parseLong(r.arg(2)).orElseThrow(() -> new CommandError("ERR invalid cursor"));
        if (cursor < 0) {
            throw new CommandError("ERR invalid cursor");
        }
        byte[] pattern = null;
        long count = 10;
        for (int i = 3; i < r.argc(); i += 2) {
            if (i + 1 >= r.argc()) {
                throw CommandError.syntax();
            }
            switch (r.keyword(i)) {
                case "MATCH" -> pattern = r.arg(i + 1);
                case "COUNT" -> {
                    count = r.longArg(i + 1);
                    if (count < 1) {
                        throw CommandError.syntax();
                    }
                }
                default -> throw CommandError.syntax();
            }
        }
        long position = 0;
        while (position < cursor && elements.hasNext()) {
            elements.next();
            position++;
        }
        java.util.List<T> found = new java.util.ArrayList<>();
        for (long visited = 0; visited < count && elements.hasNext(); visited++, position++) {
            T element = elements.next();
            if (pattern == null || Glob.matches(pattern, name.apply(element), false)) {
                found.add(element);
            }
        }
        io.jpmem.redis.protocol.RespWriter w = r.reply().array(2);
        w.bulk(Long.toString(elements.hasNext() ? position : 0));
        w.array(found.size() * slots);
        found.forEach(e -> write.accept(w, e));
    }
}

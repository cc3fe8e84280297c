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
     * HSCAN/SSCAN/ZSCAN {@code key cursor [MATCH pattern] [COUNT count]} over the collection at
     * argument 1, as Redis 7.0 (see {@link Scan}): the cursor is checked first, then the key (a
     * missing key is an empty, finished scan, whatever the options), then the options. {@code steps}
     * gives the collection's bucket cursor; each element matched by its {@code name} is written as
     * {@code slots} bulk strings by {@code write}.
     */
    static <C, T> void scan(Request r, Class<C> type, java.util.function.Function<C, Scan.Stepper<T>> steps,
                            java.util.function.Function<T, byte[]> name, int slots,
                            java.util.function.BiConsumer<io.jpmem.redis.protocol.RespWriter, T> write) {
        long cursor = Scan.cursor(r.arg(2));
        C collection = existing(r, r.arg(1), type);
        if (collection == null) {
            r.reply().array(2).bulk("0").array(0);
            return;
        }
        Scan.run(r, cursor, Scan.options(r, 3, false), steps.apply(collection), name, element -> true, slots, write);
    }
}

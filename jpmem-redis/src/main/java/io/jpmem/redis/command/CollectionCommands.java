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
}

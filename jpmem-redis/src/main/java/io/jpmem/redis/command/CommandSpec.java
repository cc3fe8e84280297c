package io.jpmem.redis.command;

import java.util.Locale;
import java.util.Set;

/**
 * One command as {@code COMMAND} describes it: name, arity (negative: at least that many
 * arguments, the name included), flags, the positions of its keys, and its handler.
 */
public record CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int step, Handler handler) {

    /** What the server needs to know about a command. */
    public enum Flag {
        /** May change the dataset: runs in a transaction; it signals the keys it changed for WATCH itself ({@link Request#modified}). */
        WRITE,
        /** Only reads. */
        READONLY,
        /** Allowed before AUTH. */
        NO_AUTH,
        /** Not allowed inside MULTI (it is executed at once). */
        NO_MULTI,
        /** May allocate: refused with -OOM when the heap is full. */
        DENY_OOM,
        /** Server administration. */
        ADMIN,
        /** Fast (O(1) or O(log n)). */
        FAST
    }

    /** Runs a command. */
    @FunctionalInterface
    public interface Handler {
        void execute(Request request);
    }

    public CommandSpec {
        name = name.toLowerCase(Locale.ROOT);
        flags = Set.copyOf(flags);
    }

    /** {@return whether {@code argumentCount} (the name included) fits the arity} */
    public boolean acceptsArgumentCount(int argumentCount) {
        return arity >= 0 ? argumentCount == arity : argumentCount >= -arity;
    }

    public boolean is(Flag flag) {
        return flags.contains(flag);
    }
}

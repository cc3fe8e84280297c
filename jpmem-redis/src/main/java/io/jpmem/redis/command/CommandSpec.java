package io.jpmem.redis.command;

import java.util.Locale;
import java.util.Set;

/**
 * One command as {@code COMMAND} describes it: name, arity (negative: at least that many
 * arguments, the name included), flags, the positions of its keys, and its handler.
 */
public record CommandSpec(String name, int arity, Set<Flag> flags, int firstKey, int lastKey, int step, Handler handler) {

    /**
     * What the server needs to know about a command. The dispatcher and the round executor read
     * these flags; they are the only place a command's treatment is decided (no lists of names).
     */
    public enum Flag {
        /**
         * May change the dataset: the round runs in a heap transaction when it has one such command
         * (or an EXEC); the command signals the keys it changed for WATCH itself ({@link Request#modified}).
         */
        WRITE,
        /** Only reads. */
        READONLY,
        /**
         * Runs other commands that may write (EVAL, EVALSHA): the round runs in a heap transaction as
         * for {@link #WRITE}, but the command takes no savepoint of its own — each command it runs
         * does, so what they wrote stays when the command itself fails afterwards, as in Redis.
         */
        MAY_REPLICATE,
        /** Refused when a script calls it (MULTI, EXEC, WATCH, the subscriptions, the blocking commands, EVAL itself ...). */
        NO_SCRIPT,
        /** Allowed before AUTH. */
        NO_AUTH,
        /**
         * Refused inside MULTI ({@code ERR Command not allowed inside a transaction}, and the EXEC
         * then aborts), as Redis refuses SAVE and SHUTDOWN there.
         */
        NO_MULTI,
        /**
         * Runs at once inside MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT,
         * RESET). Internal: COMMAND does not list it, Redis has no such flag.
         */
        RUNS_IN_MULTI(false),
        /**
         * Adds data: when the heap cannot hold what it adds it gets {@code -OOM} with nothing of it
         * written. A command without the flag that nevertheless finds the heap full (a DEL or EXPIRE
         * whose bookkeeping needs a block) gets {@code -OOM} too, and the server logs it, because
         * such a command is expected to run on a full heap as it does in Redis.
         */
        DENY_OOM,
        /** Server administration. */
        ADMIN,
        /** Fast (O(1) or O(log n)). */
        FAST,
        /** May block the client (BLPOP, ...): inside MULTI it runs as its non-blocking form. */
        BLOCKING,
        /** Publish/subscribe: allowed in RESP2's subscribed mode when combined with {@link #SUBSCRIBED_MODE}. */
        PUBSUB,
        /** Allowed while a RESP2 client is subscribed (SUBSCRIBE and friends, PING, QUIT, RESET). */
        SUBSCRIBED_MODE(false);

        private final boolean listed;

        Flag() {
            this(true);
        }

        Flag(boolean listed) {
            this.listed = listed;
        }

        /** {@return whether COMMAND lists this flag (false for flags of jpmem-redis's own)} */
        public boolean listed() {
            return listed;
        }
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

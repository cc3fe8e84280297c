package io.jpmem.redis.server;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.CommandSpec;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.ExecutedWrite;
import io.jpmem.redis.command.Outbox;
import io.jpmem.redis.command.ParsedCommand;
import io.jpmem.redis.command.RoundJournal;
import io.jpmem.redis.command.ServerContext;
import io.jpmem.redis.command.Watches;
import io.jpmem.redis.command.WriteListener;
import io.jpmem.redis.protocol.RespWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one round of commands — everything the event loop read from every client — and hands their
 * replies out only once they are durable.
 *
 * <p><b>Group commit.</b> All commands of a round run in one heap transaction; their replies are
 * delivered only after it commits, so no reply leaves before its command is durable (PROCESS: in
 * the mapped file; POWER: flushed and fenced). If the transaction fails — the heap is full, or a
 * command failed unexpectedly — it rolls back as a whole, the clients' connection state is
 * restored, and the round's commands run again one transaction each: the culprit gets its error
 * reply ({@code -OOM} for a full heap) with nothing of it written, the others succeed; a delete
 * (DEL, UNLINK, FLUSHDB, FLUSHALL) that does not fit alone runs a key per transaction
 * ({@link KeyAtATime}). WATCH state
 * follows the same rule ({@link Watches#begin}): a rolled-back round or command leaves no watcher
 * marked dirty by it. A round without writes (no {@link CommandSpec.Flag#WRITE} or {@link CommandSpec.Flag#MAY_REPLICATE} command, no EXEC,
 * nobody in MULTI) runs without a transaction.
 *
 * <p><b>After a commit</b> the {@link WriteListener}s see the write commands that committed, in
 * order, before any reply is delivered: the place replication hooks in.
 *
 * <p><b>Other clients' bytes.</b> After each command, still inside its transaction, the blocked
 * clients whose keys it made ready are served ({@link Dispatcher#serveBlockedClients}); their
 * replies and the messages the command published wait in the {@link Outbox} and are delivered
 * just before that command's own reply, after the commit — or dropped with a rollback, whose
 * journal ({@link RoundJournal}) also restores subscriptions and blocked clients. A command of a
 * client that is blocked (by an earlier command of the same round) does not run: it goes back to
 * its connection ({@link Delivery#defer}) to run once the client is served.
 */
final class RoundExecutor {

    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /** One command of a round, from one client. */
    record Invocation(ClientState client, ParsedCommand command) {}

    /** Where replies go once they may leave: the event loop queues them on the client's connection. */
    interface Delivery {
        /** Queues bytes (a reply, a message) for {@code client}. */
        void send(ClientState client, byte[] bytes);

        /** Gives back a command of a client that blocked earlier in the round: it runs once the client is served. */
        void defer(ClientState client, ParsedCommand command);
    }

    /** A reply that is not one: the command did not run (its client was blocked), it is given back. */
    private static final byte[] DEFERRED = new byte[0];

    private final PersistentHeap heap;
    private final Dispatcher dispatcher;
    private final ServerStats stats;
    private final ServerContext server;
    private final List<WriteListener> listeners = new CopyOnWriteArrayList<>();
    /** The replication stream: each transaction's writes are prepared in it, published after the commit. */
    private StreamFeed feed = StreamFeed.NONE;
    /** The writes of the transaction being committed, taken inside it. */
    private List<ExecutedWrite> committing = List.of();

    /**
     * Where each transaction's writes go: encoded inside the transaction (so what it stores, the
     * stream offset, commits with the data), sent on after the commit, forgotten after a rollback.
     */
    interface StreamFeed {
        StreamFeed NONE = new StreamFeed() {
            @Override
            public void prepare(List<ExecutedWrite> writes) {
            }

            @Override
            public void publish() {
            }

            @Override
            public void discard() {
            }
        };

        /** Inside the transaction, after its last command. */
        void prepare(List<ExecutedWrite> writes);

        /** After the commit, before any reply of the transaction leaves. */
        void publish();

        /** The transaction rolled back. */
        void discard();
    }

    RoundExecutor(PersistentHeap heap, Dispatcher dispatcher, ServerStats stats, ServerContext server) {
        this.heap = heap;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.server = server;
    }

    /** Adds a listener told of every committed transaction's write commands. */
    void addWriteListener(WriteListener listener) {
        listeners.add(listener);
    }

    /** Sets the replication stream fed by every transaction. */
    void feed(StreamFeed feed) {
        this.feed = feed;
    }

    /** Inside a transaction, after its last change: takes its writes and prepares them in the stream. */
    private void prepareWrites() {
        committing = dispatcher.takeExecutedWrites();
        feed.prepare(committing); // also with no write: a replica's offset counts its master's PINGs
    }

    /**
     * Runs {@code body} (the active expiry cycle) in a transaction of its own whose writes (the
     * DELs of expired keys) reach the stream like a round's; {@return what it returned}
     */
    int maintenance(java.util.function.IntSupplier body) {
        try {
            begin();
            int result = heap.transactionResult(tx -> {
                int r = body.getAsInt();
                prepareWrites();
                return r;
            });
            commit();
            return result;
        } catch (RuntimeException | Error e) {
            rollback();
            throw e;
        }
    }

    private static final class AbortRound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortRound(RuntimeException cause) {
            super(cause);
        }
    }

    /** Runs {@code round} (not empty) and delivers each command's reply, in order, once it may leave. */
    void execute(List<Invocation> round, Delivery delivery) {
        byte[][] replies = new byte[round.size()][];
        List<List<Outbox.Message>> messages = new ArrayList<>(java.util.Collections.nCopies(round.size(), List.of()));
        if (round.stream().noneMatch(RoundExecutor::mayWrite)) {
            for (int i = 0; i < round.size(); i++) {
                replies[i] = runOne(round.get(i), false);
                messages.set(i, dispatcher.outbox().take());
            }
            publishLazyExpiries();
            deliver(round, replies, messages, delivery);
            return;
        }
        Map<ClientState, ClientState.Snapshot> before = new HashMap<>();
        round.forEach(inv -> before.computeIfAbsent(inv.client(), ClientState::snapshot));
        stats.groupCommits++;
        try {
            begin();
            heap.transaction(tx -> {
                for (int i = 0; i < round.size(); i++) {
                    replies[i] = runOne(round.get(i), true);
                    messages.set(i, dispatcher.outbox().take());
                }
                prepareWrites();
            });
            commit();
        } catch (HeapFullException | AbortRound e) {
            stats.rollbacks++;
            rollback(); // no watcher stays dirty, nobody subscribed, blocked or served by what was rolled back
            before.forEach(ClientState::restore);
            for (int i = 0; i < round.size(); i++) {
                replies[i] = runAlone(round.get(i));
                messages.set(i, dispatcher.outbox().take());
            }
        }
        deliver(round, replies, messages, delivery);
    }

    /**
     * Ends the waits of blocked clients whose timeout passed, outside any round, delivering their
     * timeout replies; {@return whether any timed out}
     */
    boolean expireBlocked(long nanoNow, Delivery delivery) {
        if (!dispatcher.blocking().expire(nanoNow)) {
            return false;
        }
        for (Outbox.Message m : dispatcher.outbox().take()) {
            delivery.send(m.client(), m.bytes());
        }
        return true;
    }

    private void begin() {
        dispatcher.watches().begin();
        dispatcher.journal().begin();
    }

    private void commit() {
        dispatcher.watches().commit();
        dispatcher.journal().commit();
        committed();
    }

    private void rollback() {
        dispatcher.watches().rollback();
        dispatcher.journal().rollback();
        dispatcher.outbox().drop();
        dispatcher.dropExecutedWrites();
        committing = List.of();
        feed.discard();
    }

    /**
     * After a round without a transaction: keys its reads found expired were deleted on the way,
     * each in a transaction of its own; their DELs reach the stream now, in one more.
     */
    private void publishLazyExpiries() {
        if (dispatcher.hasExecutedWrites()) {
            try {
                begin();
                heap.transaction(tx -> prepareWrites());
                commit();
            } catch (RuntimeException e) {
                rollback();
                LOG.log(System.Logger.Level.WARNING, "the DELs of expired keys could not be passed on: " + e);
            }
        }
    }

    /** Runs one command of a rolled-back round in its own transaction; {@return its reply} */
    private byte[] runAlone(Invocation inv) {
        ClientState.Snapshot s = inv.client().snapshot();
        byte[][] reply = new byte[1][];
        try {
            begin();
            heap.transaction(tx -> {
                reply[0] = runOne(inv, true);
                prepareWrites();
            });
            commit();
            return reply[0];
        } catch (HeapFullException full) {
            rollback();
            undo(inv, s);
            if (KeyAtATime.applies(inv.client(), inv.command())) { // deleting frees room: a key per transaction
                try {
                    byte[] piecewise = KeyAtATime.run(inv.client(), inv.command(), server, this::runPiece);
                    if (piecewise != null) {
                        return piecewise;
                    }
                } catch (AbortRound failed) {
                    LOG.log(System.Logger.Level.ERROR, "command failed: " + inv.command().name(), failed.getCause());
                    return new RespWriter().error("ERR internal error: " + failed.getCause()).drain();
                }
            }
            if (!deniesOom(inv, s)) {
                LOG.log(System.Logger.Level.WARNING, "the heap is full for " + inv.command().name()
                        + ", which is expected to run on a full heap (not DENY_OOM)");
            }
            return new RespWriter().error(OOM).drain();
        } catch (AbortRound failed) {
            rollback();
            undo(inv, s);
            LOG.log(System.Logger.Level.ERROR, "command failed: " + inv.command().name(), failed.getCause());
            return new RespWriter().error("ERR internal error: " + failed.getCause()).drain();
        }
    }

    /** Runs one piece of a command run a key at a time, in a transaction of its own; {@return its reply} */
    private byte[] runPiece(ClientState client, ParsedCommand command) {
        byte[][] reply = new byte[1][];
        try {
            begin();
            heap.transaction(tx -> {
                reply[0] = runOne(new Invocation(client, command), true);
                prepareWrites();
            });
            commit();
            return reply[0];
        } catch (HeapFullException | AbortRound e) {
            rollback();
            throw e;
        }
    }

    /** {@return whether the command (for EXEC: one of the commands it ran) carries DENY_OOM} */
    private static boolean deniesOom(Invocation inv, ClientState.Snapshot before) {
        if (inv.command().is(CommandSpec.Flag.DENY_OOM)) {
            return true;
        }
        List<ParsedCommand> queued = before.multi();
        return queued != null && queued.stream().anyMatch(q -> q.is(CommandSpec.Flag.DENY_OOM));
    }

    private void committed() {
        List<ExecutedWrite> writes = committing;
        committing = List.of();
        feed.publish();
        if (!writes.isEmpty()) {
            for (WriteListener listener : listeners) {
                listener.committed(writes);
            }
        }
    }

    /** Puts a client back as it was before a failed command; a failed EXEC still ends its MULTI, as in Redis. */
    private void undo(Invocation inv, ClientState.Snapshot before) {
        ClientState state = inv.client();
        state.restore(before);
        if (inv.command().name().equals("exec") && state.inMulti()) {
            state.endMulti();
            dispatcher.watches().unwatchAll(state);
        }
    }

    private static boolean mayWrite(Invocation inv) {
        return inv.client().fromMaster() || inv.client().inMulti() || inv.command().name().equals("exec") || inv.command().is(CommandSpec.Flag.WRITE)
                || inv.command().is(CommandSpec.Flag.MAY_REPLICATE);
    }

    private byte[] runOne(Invocation inv, boolean inTransaction) {
        if (inv.client().blocked()) {
            return DEFERRED;
        }
        RespWriter reply = new RespWriter();
        reply.setProtocol(inv.client().protocol());
        try {
            dispatcher.execute(inv.client(), inv.command(), reply);
            dispatcher.serveBlockedClients();
        } catch (HeapFullException e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError | VirtualMachineError e) {
            // A bug in one command, or the JVM failing under it (an InternalError from a fault on the
            // mapping, an OutOfMemoryError), must not stop the server: the round fails and is retried alone.
            if (inTransaction) {
                throw new AbortRound(e instanceof RuntimeException re ? re : new IllegalStateException(e));
            }
            LOG.log(System.Logger.Level.ERROR, "command failed: " + inv.command().name(), e);
            return new RespWriter().error("ERR internal error: " + e).drain();
        }
        return reply.drain();
    }

    private void deliver(List<Invocation> round, byte[][] replies, List<List<Outbox.Message>> messages, Delivery delivery) {
        for (int i = 0; i < round.size(); i++) {
            Invocation inv = round.get(i);
            if (replies[i] == DEFERRED) {
                delivery.defer(inv.client(), inv.command());
                continue;
            }
            stats.commandsProcessed++;
            for (Outbox.Message m : messages.get(i)) {
                delivery.send(m.client(), m.bytes());
            }
            delivery.send(inv.client(), replies[i]);
        }
    }
}

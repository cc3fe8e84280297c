package io.jpmem.redis.server;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.CommandSpec;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.ExecutedWrite;
import io.jpmem.redis.command.ParsedCommand;
import io.jpmem.redis.command.ServerContext;
import io.jpmem.redis.command.Watches;
import io.jpmem.redis.command.WriteListener;
import io.jpmem.redis.protocol.RespWriter;
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
 * marked dirty by it. A round without writes (no {@link CommandSpec.Flag#WRITE} command, no EXEC,
 * nobody in MULTI) runs without a transaction.
 *
 * <p><b>After a commit</b> the {@link WriteListener}s see the write commands that committed, in
 * order, before any reply is delivered: the place replication hooks in.
 */
final class RoundExecutor {

    private static final System.Logger LOG = System.getLogger("io.jpmem.redis");
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /** One command of a round, from one client. */
    record Invocation(ClientState client, ParsedCommand command) {}

    /** Where replies go once they may leave: the event loop queues them on the client's connection. */
    @FunctionalInterface
    interface Delivery {
        void send(ClientState client, byte[] reply);
    }

    private final PersistentHeap heap;
    private final Dispatcher dispatcher;
    private final ServerStats stats;
    private final ServerContext server;
    private final List<WriteListener> listeners = new CopyOnWriteArrayList<>();

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

    private static final class AbortRound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortRound(RuntimeException cause) {
            super(cause);
        }
    }

    /** Runs {@code round} (not empty) and delivers each command's reply, in order, once it may leave. */
    void execute(List<Invocation> round, Delivery delivery) {
        stats.commandsProcessed += round.size();
        byte[][] replies = new byte[round.size()][];
        if (round.stream().noneMatch(RoundExecutor::mayWrite)) {
            for (int i = 0; i < round.size(); i++) {
                replies[i] = runOne(round.get(i), false);
            }
            dispatcher.dropExecutedWrites(); // nothing writes outside a transaction; keep the log clean anyway
            deliver(round, replies, delivery);
            return;
        }
        Map<ClientState, ClientState.Snapshot> before = new HashMap<>();
        round.forEach(inv -> before.computeIfAbsent(inv.client(), ClientState::snapshot));
        stats.groupCommits++;
        Watches watches = dispatcher.watches();
        try {
            watches.begin();
            heap.transaction(tx -> {
                for (int i = 0; i < round.size(); i++) {
                    replies[i] = runOne(round.get(i), true);
                }
            });
            watches.commit();
            committed();
        } catch (HeapFullException | AbortRound e) {
            stats.rollbacks++;
            watches.rollback(); // no watcher stays dirty from a write that was rolled back
            dispatcher.dropExecutedWrites();
            before.forEach(ClientState::restore);
            for (int i = 0; i < round.size(); i++) {
                replies[i] = runAlone(round.get(i));
            }
        }
        deliver(round, replies, delivery);
    }

    /** Runs one command of a rolled-back round in its own transaction; {@return its reply} */
    private byte[] runAlone(Invocation inv) {
        Watches watches = dispatcher.watches();
        ClientState.Snapshot s = inv.client().snapshot();
        byte[][] reply = new byte[1][];
        try {
            watches.begin();
            heap.transaction(tx -> reply[0] = runOne(inv, true));
            watches.commit();
            committed();
            return reply[0];
        } catch (HeapFullException full) {
            watches.rollback();
            dispatcher.dropExecutedWrites();
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
            watches.rollback();
            dispatcher.dropExecutedWrites();
            undo(inv, s);
            LOG.log(System.Logger.Level.ERROR, "command failed: " + inv.command().name(), failed.getCause());
            return new RespWriter().error("ERR internal error: " + failed.getCause()).drain();
        }
    }

    /** Runs one piece of a command run a key at a time, in a transaction of its own; {@return its reply} */
    private byte[] runPiece(ClientState client, ParsedCommand command) {
        Watches watches = dispatcher.watches();
        byte[][] reply = new byte[1][];
        try {
            watches.begin();
            heap.transaction(tx -> reply[0] = runOne(new Invocation(client, command), true));
            watches.commit();
            committed();
            return reply[0];
        } catch (HeapFullException | AbortRound e) {
            watches.rollback();
            dispatcher.dropExecutedWrites();
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
        List<ExecutedWrite> writes = dispatcher.takeExecutedWrites();
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
        return inv.client().inMulti() || inv.command().name().equals("exec") || inv.command().is(CommandSpec.Flag.WRITE);
    }

    private byte[] runOne(Invocation inv, boolean inTransaction) {
        RespWriter reply = new RespWriter();
        reply.setProtocol(inv.client().protocol());
        try {
            dispatcher.execute(inv.client(), inv.command(), reply);
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

    private static void deliver(List<Invocation> round, byte[][] replies, Delivery delivery) {
        for (int i = 0; i < round.size(); i++) {
            delivery.send(round.get(i).client(), replies[i]);
        }
    }
}

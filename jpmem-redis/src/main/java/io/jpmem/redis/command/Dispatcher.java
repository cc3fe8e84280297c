package io.jpmem.redis.command;

import io.jpmem.heap.Transaction;
import io.jpmem.redis.data.Dataset;
import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one command for a client, as Redis's processCommand does: lookup and arity (an error inside
 * MULTI also dooms the EXEC), authentication, the MULTI rules ({@link CommandSpec.Flag#NO_MULTI}
 * refused, {@link CommandSpec.Flag#RUNS_IN_MULTI} run at once, others queued), then the handler. A
 * {@link CommandError} becomes the error reply. For WATCH, each write command signals the keys it
 * changed ({@link Request#modified}), as Redis's signalModifiedKey; the write commands that changed
 * something are kept, in order, until the caller takes them with {@link #takeExecutedWrites} (the
 * round executor does after a commit) or drops them with {@link #dropExecutedWrites} (after a
 * rollback). Event-loop thread only; the caller provides the transaction (see the round executor).
 */
public final class Dispatcher {

    private final ServerContext server;
    private final Watches watches;
    private final RoundJournal journal = new RoundJournal();
    private final Outbox outbox = new Outbox();
    private final PubSub pubsub = new PubSub(outbox, journal);
    private final Blocking blocking = new Blocking(journal, outbox);
    private List<ExecutedWrite> executedWrites = new ArrayList<>();
    /** How deep EXECs and scripts are nested now: only the outermost wraps its writes in MULTI/EXEC. */
    private int atomicDepth;
    private ReplicaWrites replicaWrites = ReplicaWrites.NONE;

    /** Who may write when the server is a read-only replica: its master's connection only. */
    public interface ReplicaWrites {
        /** A master: everybody writes. */
        ReplicaWrites NONE = client -> true;

        /** {@return whether {@code client}'s writes are accepted now} */
        boolean mayWrite(ClientState client);

        /** {@return whether {@code client} is the connection to this server's master} */
        default boolean isMaster(ClientState client) {
            return false;
        }
    }

    public Dispatcher(ServerContext server, Watches watches) {
        this.server = server;
        this.watches = watches;
    }

    /** Sets who may write (a read-only replica refuses its clients' writes with -READONLY). */
    public void replicaWrites(ReplicaWrites rule) {
        this.replicaWrites = rule;
        server.dataset().expiry(rule == ReplicaWrites.NONE ? Dataset.Expiry.DELETE : Dataset.Expiry.HIDE);
    }

    /**
     * A key deleted because its time passed, while a command ran or by the active cycle: recorded
     * as the DEL replicas get, in its place among the writes.
     */
    public void expired(int db, byte[] key) {
        CommandSpec del = server.commands().find("del").orElseThrow();
        executedWrites.add(new ExecutedWrite(0, db, del, List.of("DEL".getBytes(StandardCharsets.US_ASCII), key.clone())));
    }

    /**
     * EXEC or a script starts running commands that must reach replicas as one transaction;
     * {@return the mark to give {@link #endAtomic}}
     */
    int beginAtomic() {
        atomicDepth++;
        return executedWrites.size();
    }

    /**
     * The EXEC or script begun at {@code mark} ended: if it wrote more than once (and is the
     * outermost), its writes are wrapped in MULTI ... EXEC, as Redis 7.0 replicates them.
     */
    void endAtomic(int mark, ClientState client) {
        if (--atomicDepth > 0 || executedWrites.size() - mark < 2) {
            return;
        }
        int db = executedWrites.get(mark).db();
        executedWrites.add(mark, new ExecutedWrite(client.id(), db, server.commands().find("multi").orElseThrow(),
                List.of("MULTI".getBytes(StandardCharsets.US_ASCII))));
        int lastDb = executedWrites.get(executedWrites.size() - 1).db();
        executedWrites.add(new ExecutedWrite(client.id(), lastDb, server.commands().find("exec").orElseThrow(),
                List.of("EXEC".getBytes(StandardCharsets.US_ASCII))));
    }

    public Watches watches() {
        return watches;
    }

    ServerContext server() {
        return server;
    }

    /** {@return the journal of subscriptions and blocked clients, for the caller's transaction brackets} */
    public RoundJournal journal() {
        return journal;
    }

    /** {@return the messages for other clients (published messages, served blocked clients' replies)} */
    public Outbox outbox() {
        return outbox;
    }

    /** {@return the subscriptions} */
    public PubSub pubsub() {
        return pubsub;
    }

    /** {@return the blocked clients} */
    public Blocking blocking() {
        return blocking;
    }

    /** A closed connection: forgets its watches, subscriptions and wait. */
    public void forget(ClientState client) {
        watches.unwatchAll(client);
        pubsub.forget(client);
        blocking.forget(client);
    }

    /**
     * Serves the blocked clients whose keys the last command made ready ({@link Blocking}); the
     * caller runs it after each command, inside the same transaction.
     */
    public void serveBlockedClients() {
        if (!blocking.anyReady()) {
            return;
        }
        blocking.serveReady((client, spec, args, reply, retry, key) -> {
            Request request = new Request(spec, args, client, reply, this);
            boolean served;
            try {
                served = retry.serve(request, key);
            } catch (CommandError e) {
                reply.error(e.getMessage());
                served = true;
            }
            if (served && request.changedSomething()) {
                List<byte[]> propagated = request.propagatedArgs();
                CommandSpec as = server.commands().find(propagated.get(0)).orElse(spec);
                executedWrites.add(new ExecutedWrite(client.id(), client.db(), as, propagated));
            }
            return served;
        });
    }

    /** Executes {@code args} for {@code client}, looking its name up, writing the reply into {@code reply}. */
    public void execute(ClientState client, List<byte[]> args, RespWriter reply) {
        execute(client, ParsedCommand.of(server.commands(), args), reply);
    }

    /** Executes {@code command} (its name already looked up) for {@code client}, writing the reply into {@code reply}. */
    public void execute(ClientState client, ParsedCommand command, RespWriter reply) {
        CommandSpec spec = command.spec();
        List<byte[]> args = command.args();
        if (spec == null) {
            reject(client, reply, unknown(args));
            return;
        }
        if (!spec.acceptsArgumentCount(args.size())) {
            reject(client, reply, CommandError.arity(spec.name()).getMessage());
            return;
        }
        if (server.requirePass().isPresent() && !client.authenticated() && !spec.is(CommandSpec.Flag.NO_AUTH)) {
            reject(client, reply, "NOAUTH Authentication required.");
            return;
        }
        if (client.protocol() == 2 && !spec.is(CommandSpec.Flag.SUBSCRIBED_MODE) && pubsub.subscribed(client)) {
            reject(client, reply, "ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING"
                    + " / QUIT / RESET are allowed in this context");
            return;
        }
        if (spec.is(CommandSpec.Flag.WRITE) && !replicaWrites.mayWrite(client)) {
            reject(client, reply, READONLY);
            return;
        }
        if (replicaWrites != ReplicaWrites.NONE) { // a replica deletes no expired key itself: its master's DEL does
            server.dataset().expiry(replicaWrites.isMaster(client) ? Dataset.Expiry.KEEP : Dataset.Expiry.HIDE);
        }
        if (client.inMulti() && spec.is(CommandSpec.Flag.NO_MULTI)) {
            reject(client, reply, "ERR Command not allowed inside a transaction");
            return;
        }
        if (client.inMulti() && !spec.is(CommandSpec.Flag.RUNS_IN_MULTI)) {
            client.queue(command);
            reply.simple("QUEUED");
            return;
        }
        run(spec, client, args, reply);
    }

    /**
     * Runs a command whose checks passed (also what EXEC does with each queued command). A write
     * command runs inside the round's heap transaction, after a savepoint: if it fails with a
     * {@link CommandError} after it changed something, its changes are rolled back alone and the
     * other commands of the round stay (Redis checks every argument before its first change; here that
     * is not a convention each command must keep but a property of the dispatcher).
     */
    void run(CommandSpec spec, ClientState client, List<byte[]> args, RespWriter reply) {
        int db = client.db();
        if (spec.is(CommandSpec.Flag.WRITE) && !replicaWrites.mayWrite(client)) { // a script's write on a read-only replica
            reply.error(READONLY);
            return;
        }
        int recorded = executedWrites.size();
        Request request = new Request(spec, args, client, reply, this);
        Transaction tx = spec.is(CommandSpec.Flag.WRITE)
                ? server.dataset().heap().currentTransaction().orElse(null) : null;
        Transaction.Savepoint before = tx == null ? null : tx.savepoint();
        try {
            if (spec.is(CommandSpec.Flag.WRITE)) { // a background save keeps what the command is about to change
                server.saves().beforeWrite(spec.name(), spec.firstKey(), spec.lastKey(), spec.step(), client.db(), args);
            }
            spec.handler().execute(request);
        } catch (CommandError e) {
            if (before != null) {
                tx.rollbackTo(before);
                executedWrites.subList(recorded, executedWrites.size()).clear(); // keys it expired came back too
            }
            reply.error(e.getMessage());
            return; // rolled back: nothing of it is a write to pass on
        }
        if (spec.is(CommandSpec.Flag.WRITE) && request.changedSomething()) {
            List<byte[]> propagated = request.propagatedArgs();
            if (propagated == args) {
                propagated = Propagation.effects(spec, args, db, server.dataset());
            }
            CommandSpec as = propagated == args ? spec : server.commands().find(propagated.get(0)).orElse(spec);
            executedWrites.add(new ExecutedWrite(client.id(), db, as, propagated));
        }
    }

    /** Records a write made on a client's behalf outside {@link #run} (a blocked client served by another's command). */
    void recordWrite(ExecutedWrite write) {
        executedWrites.add(write);
    }

    /** {@return the write commands that changed something since the last take or drop, oldest first; forgets them} */
    public List<ExecutedWrite> takeExecutedWrites() {
        if (executedWrites.isEmpty()) {
            return List.of();
        }
        List<ExecutedWrite> taken = executedWrites;
        executedWrites = new ArrayList<>();
        return taken;
    }

    /** {@return whether writes were recorded since the last take or drop} */
    public boolean hasExecutedWrites() {
        return !executedWrites.isEmpty();
    }

    /** Forgets the write commands recorded since the last take (their transaction rolled back). */
    public void dropExecutedWrites() {
        executedWrites.clear();
    }

    private static final String READONLY = "READONLY You can't write against a read only replica.";

    private static void reject(ClientState client, RespWriter reply, String message) {
        if (client.inMulti()) {
            client.failMulti();
        }
        reply.error(message);
    }

    private static String unknown(List<byte[]> args) {
        StringBuilder message = new StringBuilder("ERR unknown command '")
                .append(new String(args.get(0), StandardCharsets.UTF_8)).append("', with args beginning with: ");
        for (int i = 1; i < args.size() && message.length() < 128; i++) {
            message.append('\'').append(new String(args.get(i), StandardCharsets.UTF_8)).append("' ");
        }
        return message.toString();
    }
}

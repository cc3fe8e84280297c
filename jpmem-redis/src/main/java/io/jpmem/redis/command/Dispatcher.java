package io.jpmem.redis.command;

import io.jpmem.heap.Transaction;
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
    private List<ExecutedWrite> executedWrites = new ArrayList<>();

    public Dispatcher(ServerContext server, Watches watches) {
        this.server = server;
        this.watches = watches;
    }

    public Watches watches() {
        return watches;
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
        Request request = new Request(args, client, reply, server, watches);
        Transaction tx = spec.is(CommandSpec.Flag.WRITE)
                ? server.dataset().heap().currentTransaction().orElse(null) : null;
        Transaction.Savepoint before = tx == null ? null : tx.savepoint();
        try {
            spec.handler().execute(request);
        } catch (CommandError e) {
            if (before != null) {
                tx.rollbackTo(before);
            }
            reply.error(e.getMessage());
            return; // rolled back: nothing of it is a write to pass on
        }
        if (spec.is(CommandSpec.Flag.WRITE) && request.changedSomething()) {
            executedWrites.add(new ExecutedWrite(client.id(), db, spec, args));
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

    /** Forgets the write commands recorded since the last take (their transaction rolled back). */
    public void dropExecutedWrites() {
        executedWrites.clear();
    }

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

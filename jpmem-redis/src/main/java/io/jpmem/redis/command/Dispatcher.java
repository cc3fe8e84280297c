package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs one command for a client, as Redis's processCommand does: lookup and arity (an error inside
 * MULTI also dooms the EXEC), authentication, queuing inside MULTI, then the handler. A
 * {@link CommandError} becomes the error reply. For WATCH, each write command signals the keys it
 * changed ({@link Request#modified}), as Redis's signalModifiedKey.
 * Event-loop thread only; the caller provides the transaction (see the event loop).
 */
public final class Dispatcher {

    private static final Set<String> RUN_IN_MULTI = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private final ServerContext server;
    private final Watches watches;

    public Dispatcher(ServerContext server, Watches watches) {
        this.server = server;
        this.watches = watches;
    }

    public Watches watches() {
        return watches;
    }

    /** Executes {@code args} for {@code client}, writing the reply into {@code reply}. */
    public void execute(ClientState client, List<byte[]> args, RespWriter reply) {
        String name = new String(args.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        CommandSpec spec = server.commands().find(name).orElse(null);
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
        if (client.inMulti() && !RUN_IN_MULTI.contains(spec.name())) {
            client.queue(args);
            reply.simple("QUEUED");
            return;
        }
        run(spec, client, args, reply);
    }

    /** Runs a command whose checks passed (also what EXEC does with each queued command). */
    void run(CommandSpec spec, ClientState client, List<byte[]> args, RespWriter reply) {
        Request request = new Request(args, client, reply, server, watches);
        try {
            if (spec.is(CommandSpec.Flag.WRITE)) { // a background save keeps what the command is about to change
                server.saves().beforeWrite(spec.name(), spec.firstKey(), spec.lastKey(), spec.step(), client.db(), args);
            }
            spec.handler().execute(request);
        } catch (CommandError e) {
            reply.error(e.getMessage());
        }
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

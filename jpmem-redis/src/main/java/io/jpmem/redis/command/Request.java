package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** One command being executed: its arguments, the client that sent it, where its reply goes. */
public final class Request {

    private final List<byte[]> args;
    private final ClientState client;
    private final RespWriter reply;
    private final ServerContext server;
    private final Watches watches;
    private final CommandSpec spec;
    private final Dispatcher dispatcher;
    private int changes;
    private List<byte[]> propagateAs;

    public Request(List<byte[]> args, ClientState client, RespWriter reply, ServerContext server, Watches watches) {
        this(null, args, client, reply, server, watches, null);
    }

    Request(CommandSpec spec, List<byte[]> args, ClientState client, RespWriter reply, Dispatcher dispatcher) {
        this(spec, args, client, reply, dispatcher.server(), dispatcher.watches(), dispatcher);
    }

    private Request(CommandSpec spec, List<byte[]> args, ClientState client, RespWriter reply, ServerContext server,
                    Watches watches, Dispatcher dispatcher) {
        this.spec = spec;
        this.args = args;
        this.client = client;
        this.reply = reply;
        this.server = server;
        this.watches = watches;
        this.dispatcher = dispatcher;
    }

    /** {@return the command being run} */
    public CommandSpec spec() {
        return spec;
    }

    /** {@return the subscriptions (publish/subscribe)} */
    public PubSub pubsub() {
        return dispatcher.pubsub();
    }

    /** {@return the blocked clients} */
    public Blocking blocking() {
        return dispatcher.blocking();
    }

    /** {@return whether this command may block its client (not while EXEC runs a queue or a script runs, as Redis)} */
    public boolean mayBlock() {
        return !client.runningExec() && !client.inMulti() && !client.runningScript();
    }

    /**
     * Says which non-blocking command did this command's work, for {@link WriteListener}s (BLPOP
     * served is LPOP): replication must not block.
     */
    public void propagateAs(List<byte[]> args) {
        propagateAs = args;
    }

    /** {@return the arguments {@link WriteListener}s see: {@link #propagateAs}'s if given, else the command's own} */
    List<byte[]> propagatedArgs() {
        return propagateAs != null ? propagateAs : args;
    }

    /** {@return the number of arguments, the command name included} */
    public int argc() {
        return args.size();
    }

    /** {@return argument {@code i} (0 is the command name)} */
    public byte[] arg(int i) {
        return args.get(i);
    }

    /** {@return argument {@code i} as text (UTF-8)} */
    public String text(int i) {
        return new String(args.get(i), StandardCharsets.UTF_8);
    }

    /** {@return argument {@code i} upper-cased, for keywords} */
    public String keyword(int i) {
        return text(i).toUpperCase(Locale.ROOT);
    }

    /** {@return argument {@code i} as a 64-bit integer} @throws CommandError if it is not one */
    public long longArg(int i) {
        return Numbers.parseLong(args.get(i)).orElseThrow(CommandError::notInteger);
    }

    /** {@return argument {@code i} as a double} @throws CommandError if it is not one */
    public double doubleArg(int i) {
        return Numbers.parseDouble(args.get(i)).orElseThrow(CommandError::notFloat);
    }

    /** {@return argument {@code i} as a sorted-set score (no overflow to infinity, no underflow to 0)} @throws CommandError if it is not one */
    public double scoreArg(int i) {
        return Numbers.parseDoubleInRange(args.get(i)).orElseThrow(CommandError::notFloat);
    }

    public List<byte[]> args() {
        return args;
    }

    public ClientState client() {
        return client;
    }

    public RespWriter reply() {
        return reply;
    }

    public ServerContext server() {
        return server;
    }

    /**
     * Signals that this command changed {@code key} of the client's database (Redis's
     * signalModifiedKey): clients watching it will fail their EXEC. Write commands call it for each
     * key they actually changed, and only then — a write that changes nothing touches nothing.
     */
    public void modified(byte[] key) {
        modified(client.db(), key);
    }

    /** Runs {@code undo} if this command's round (or replayed command) is rolled back. */
    public void onRollback(Runnable undo) {
        watches.onRollback(undo);
    }

    /** {@link #modified(byte[])} for a key of database {@code db}. */
    public void modified(int db, byte[] key) {
        changes++;
        watches.touch(db, key);
        if (dispatcher != null) {
            dispatcher.blocking().signal(db, key);
        }
        server.saves().changed(db, key);
    }

    /**
     * Signals that every watched key of database {@code db} for which {@code changed} holds changed
     * (FLUSHDB, FLUSHALL, SWAPDB); {@code changed} is evaluated now, so call it before the change.
     */
    public void modifiedWhere(int db, java.util.function.Predicate<byte[]> changed) {
        changes++;
        watches.touchWhere(db, changed);
        server.saves().changedMany();
    }

    /** {@return whether this command signalled a change ({@link #modified}, {@link #modifiedWhere})} */
    public boolean changedSomething() {
        return changes > 0;
    }
}

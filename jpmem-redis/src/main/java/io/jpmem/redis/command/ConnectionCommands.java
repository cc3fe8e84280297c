package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.ADMIN;
import static io.jpmem.redis.command.CommandSpec.Flag.FAST;
import static io.jpmem.redis.command.CommandSpec.Flag.NO_AUTH;
import static io.jpmem.redis.command.CommandSpec.Flag.NO_MULTI;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;
import static io.jpmem.redis.command.CommandSpec.Flag.RUNS_IN_MULTI;
import static io.jpmem.redis.command.CommandSpec.Flag.SUBSCRIBED_MODE;

import io.jpmem.redis.protocol.RespWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Connection and server commands that do not touch the dataset: PING, ECHO, SELECT, QUIT, AUTH,
 * HELLO, CLIENT, COMMAND, INFO, MULTI/EXEC/DISCARD, WATCH/UNWATCH, SHUTDOWN, TIME.
 */
public final class ConnectionCommands {

    /** The Redis version we answer as (the semantics we follow: Debian's redis-server 7.0). */
    public static final String REDIS_VERSION = "7.0.15";

    private final Dispatcher dispatcher;

    private ConnectionCommands(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    static CommandSpec spec(String name, int arity, EnumSet<CommandSpec.Flag> flags, CommandSpec.Handler handler) {
        return new CommandSpec(name, arity, flags, 0, 0, 0, handler);
    }

    /** Adds these commands to {@code table}. */
    public static void register(CommandTable table, Dispatcher dispatcher) {
        ConnectionCommands c = new ConnectionCommands(dispatcher);
        table.add(spec("ping", -1, EnumSet.of(FAST, SUBSCRIBED_MODE), c::ping))
                .add(spec("echo", 2, EnumSet.of(FAST), r -> r.reply().bulk(r.arg(1))))
                .add(spec("select", 2, EnumSet.of(FAST), c::select))
                .add(spec("quit", -1, EnumSet.of(NO_AUTH, FAST, RUNS_IN_MULTI, SUBSCRIBED_MODE), c::quit))
                .add(spec("auth", -2, EnumSet.of(NO_AUTH, FAST), c::auth))
                .add(spec("hello", -1, EnumSet.of(NO_AUTH, FAST), c::hello))
                .add(spec("client", -2, EnumSet.noneOf(CommandSpec.Flag.class), c::client))
                .add(spec("command", -1, EnumSet.noneOf(CommandSpec.Flag.class), c::command))
                .add(spec("info", -1, EnumSet.noneOf(CommandSpec.Flag.class), c::info))
                .add(spec("multi", 1, EnumSet.of(FAST, RUNS_IN_MULTI), c::multi))
                .add(spec("exec", 1, EnumSet.of(RUNS_IN_MULTI), c::exec))
                .add(spec("discard", 1, EnumSet.of(FAST, RUNS_IN_MULTI), c::discard))
                .add(spec("reset", 1, EnumSet.of(NO_AUTH, FAST, RUNS_IN_MULTI, SUBSCRIBED_MODE), c::reset))
                .add(new CommandSpec("watch", -2, EnumSet.of(FAST, RUNS_IN_MULTI), 1, -1, 1, c::watch))
                .add(spec("unwatch", 1, EnumSet.of(FAST), c::unwatch))
                .add(spec("shutdown", -1, EnumSet.of(ADMIN, NO_MULTI), c::shutdown))
                .add(spec("time", 1, EnumSet.of(FAST, READONLY), c::time));
    }

    private void ping(Request r) {
        if (r.argc() > 2) {
            throw CommandError.arity("ping");
        }
        if (r.client().protocol() == 2 && r.pubsub().subscribed(r.client())) {
            r.reply().array(2).bulk("pong").bulk(r.argc() == 2 ? r.arg(1) : new byte[0]); // Redis's subscribed-mode PING
        } else if (r.argc() == 2) {
            r.reply().bulk(r.arg(1));
        } else {
            r.reply().simple("PONG");
        }
    }

    private void select(Request r) {
        long db;
        try {
            db = r.longArg(1);
        } catch (CommandError e) {
            throw new CommandError("ERR value is not an integer or out of range");
        }
        if (db < 0 || db >= r.server().databases()) {
            throw new CommandError("ERR DB index is out of range");
        }
        r.client().setDb((int) db);
        r.reply().simple("OK");
    }

    private void quit(Request r) {
        r.client().closeAfterReply(true);
        r.reply().simple("OK");
    }

    private void auth(Request r) {
        if (r.argc() > 3) {
            throw CommandError.syntax();
        }
        Optional<String> password = r.server().requirePass();
        if (password.isEmpty()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user."
                    + " Are you sure your configuration is correct?");
        }
        String user = r.argc() == 3 ? r.text(1) : "default";
        checkPassword(r, user, r.text(r.argc() - 1));
        r.reply().simple("OK");
    }

    private static void checkPassword(Request r, String user, String given) {
        if (!user.equals("default") || !r.server().requirePass().map(given::equals).orElse(true)) {
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        r.client().setAuthenticated(true);
    }

    private void hello(Request r) {
        int protocol = r.client().protocol();
        int i = 1;
        if (r.argc() > 1) {
            long version;
            try {
                version = r.longArg(1);
            } catch (CommandError e) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (version < 2 || version > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            protocol = (int) version;
            i = 2;
        }
        String name = null;
        for (; i < r.argc(); i++) {
            String option = r.keyword(i);
            if (option.equals("AUTH") && i + 2 < r.argc()) {
                checkPassword(r, r.text(i + 1), r.text(i + 2));
                i += 2;
            } else if (option.equals("SETNAME") && i + 1 < r.argc()) {
                name = r.text(++i);
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + r.text(i) + "'");
            }
        }
        if (r.server().requirePass().isPresent() && !r.client().authenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the"
                    + " HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the"
                    + " RESP protocol version at the same time");
        }
        if (name != null) {
            r.client().setName(name);
        }
        r.client().setProtocol(protocol);
        r.reply().setProtocol(protocol);
        RespWriter w = r.reply();
        w.map(7);
        w.bulk("server").bulk("redis");
        w.bulk("version").bulk(REDIS_VERSION);
        w.bulk("proto").integer(protocol);
        w.bulk("id").integer(r.client().id());
        w.bulk("mode").bulk("standalone");
        w.bulk("role").bulk("master");
        w.bulk("modules").array(0);
    }

    private void client(Request r) {
        String sub = r.keyword(1);
        switch (sub) {
            case "SETNAME" -> {
                if (r.argc() != 3) {
                    throw new CommandError("ERR wrong number of arguments for 'client|setname' command");
                }
                String name = r.text(2);
                if (name.chars().anyMatch(ch -> ch <= ' ' || ch > '~')) {
                    throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
                }
                r.client().setName(name);
                r.reply().simple("OK");
            }
            case "GETNAME" -> r.reply().bulk(r.client().name().isEmpty() ? null : r.client().name());
            case "ID" -> r.reply().integer(r.client().id());
            case "INFO" -> r.reply().bulk("id=" + r.client().id() + " addr=" + r.client().address() + " name="
                    + r.client().name() + " db=" + r.client().db() + " resp=" + r.client().protocol() + "\n");
            case "SETINFO", "NO-EVICT", "NO-TOUCH" -> r.reply().simple("OK");
            case "UNBLOCK" -> {
                if (r.argc() != 3 && r.argc() != 4) {
                    throw new CommandError("ERR wrong number of arguments for 'client|unblock' command");
                }
                long id = r.longArg(2);
                boolean withError = false;
                if (r.argc() == 4) {
                    String how = r.keyword(3);
                    if (!how.equals("TIMEOUT") && !how.equals("ERROR")) {
                        throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                    }
                    withError = how.equals("ERROR");
                }
                r.reply().integer(r.blocking().unblock(id, withError) ? 1 : 0);
            }
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try CLIENT HELP.");
        }
    }

    private void command(Request r) {
        CommandTable table = r.server().commands();
        if (r.argc() == 1) {
            r.reply().array(table.size());
            table.all().forEach(spec -> describe(r.reply(), spec));
            return;
        }
        switch (r.keyword(1)) {
            case "COUNT" -> r.reply().integer(table.size());
            case "INFO" -> {
                r.reply().array(r.argc() - 2);
                for (int i = 2; i < r.argc(); i++) {
                    Optional<CommandSpec> spec = table.find(r.text(i));
                    if (spec.isPresent()) {
                        describe(r.reply(), spec.get());
                    } else {
                        r.reply().nullArray();
                    }
                }
            }
            case "DOCS" -> {
                List<CommandSpec> specs = r.argc() == 2 ? List.copyOf(table.all())
                        : java.util.stream.IntStream.range(2, r.argc()).mapToObj(i -> table.find(r.text(i)))
                                .flatMap(Optional::stream).toList();
                r.reply().map(specs.size());
                for (CommandSpec spec : specs) {
                    r.reply().bulk(spec.name()).map(2);
                    r.reply().bulk("summary").bulk(spec.name() + " (jpmem-redis)");
                    r.reply().bulk("group").bulk("generic");
                }
            }
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try COMMAND HELP.");
        }
    }

    private static void describe(RespWriter w, CommandSpec spec) {
        w.array(10);
        w.bulk(spec.name()).integer(spec.arity());
        List<CommandSpec.Flag> listed = spec.flags().stream().filter(CommandSpec.Flag::listed).sorted().toList();
        w.set(listed.size());
        listed.forEach(f -> w.simple(f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        w.integer(spec.firstKey()).integer(spec.lastKey()).integer(spec.step());
        w.set(0).set(0).array(0).array(0);
    }

    private void info(Request r) {
        r.reply().bulk(r.server().info(r.argc() > 1 ? r.text(1).toLowerCase(java.util.Locale.ROOT) : ""));
    }

    private void multi(Request r) {
        if (r.client().inMulti()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        r.client().beginMulti();
        r.reply().simple("OK");
    }

    private void exec(Request r) {
        ClientState client = r.client();
        if (!client.inMulti()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        boolean failed = client.multiFailed();
        List<ParsedCommand> queued = client.endMulti();
        boolean dirty = dispatcher.watches().isDirty(client);
        dispatcher.watches().unwatchAll(client);
        if (failed) {
            throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
        }
        if (dirty) {
            r.reply().nullArray();
            return;
        }
        r.reply().array(queued.size());
        client.setRunningExec(true);
        int mark = dispatcher.beginAtomic();
        try {
            for (ParsedCommand command : queued) {
                dispatcher.run(command.spec(), client, command.args(), r.reply());
            }
        } finally {
            dispatcher.endAtomic(mark, client);
            client.setRunningExec(false);
        }
    }

    private void discard(Request r) {
        if (!r.client().inMulti()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        r.client().endMulti();
        dispatcher.watches().unwatchAll(r.client());
        r.reply().simple("OK");
    }

    /**
     * RESET: the connection as new — MULTI discarded, watches and subscriptions dropped, database 0,
     * RESP2, no name, and not authenticated if a password is set.
     */
    private void reset(Request r) {
        ClientState client = r.client();
        if (client.inMulti()) {
            client.endMulti();
        }
        dispatcher.watches().unwatchAll(client);
        for (PubSub.Kind kind : PubSub.Kind.values()) {
            for (byte[] name : r.pubsub().names(kind, client)) {
                r.pubsub().unsubscribe(kind, client, name);
            }
        }
        client.setDb(0);
        client.setProtocol(2);
        r.reply().setProtocol(2);
        client.setName("");
        client.setAuthenticated(r.server().requirePass().isEmpty());
        r.reply().simple("RESET");
    }

    private void watch(Request r) {
        if (r.client().inMulti()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < r.argc(); i++) {
            dispatcher.watches().watch(r.client(), r.client().db(), r.arg(i));
        }
        r.reply().simple("OK");
    }

    private void unwatch(Request r) {
        dispatcher.watches().unwatchAll(r.client());
        r.reply().simple("OK");
    }

    private void shutdown(Request r) {
        for (int i = 1; i < r.argc(); i++) {
            String option = r.keyword(i);
            if (!option.equals("NOSAVE") && !option.equals("SAVE") && !option.equals("NOW") && !option.equals("FORCE")) {
                throw CommandError.syntax();
            }
        }
        r.server().shutdown();
        r.client().closeAfterReply(true);
    }

    private void time(Request r) {
        long micros = java.time.Instant.now().getEpochSecond() * 1_000_000 + java.time.Instant.now().getNano() / 1000;
        r.reply().array(2).bulk(Long.toString(micros / 1_000_000)).bulk(Long.toString(micros % 1_000_000));
    }
}

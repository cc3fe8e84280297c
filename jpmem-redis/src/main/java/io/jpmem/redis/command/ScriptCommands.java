package io.jpmem.redis.command;

import static io.jpmem.redis.command.CommandSpec.Flag.MAY_REPLICATE;
import static io.jpmem.redis.command.CommandSpec.Flag.NO_SCRIPT;
import static io.jpmem.redis.command.CommandSpec.Flag.READONLY;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Lua scripting as in Redis 7.0: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT
 * LOAD|EXISTS|FLUSH|KILL. The interpreter ({@link LuaScripting}) is made at the first script: the
 * runtime image, which cannot link LuaJ, then answers an error instead of failing at start.
 *
 * <p>A script runs inside its round's transaction like any command; its writes are the commands it
 * runs, each with its own savepoint ({@link CommandSpec.Flag#MAY_REPLICATE}), so a script that fails
 * after writing keeps those writes, as Redis does. The script cache lives in memory only (Redis
 * 7.0 does not persist it either).
 */
public final class ScriptCommands {

    /** The commands Redis 7.0 flags {@code noscript} that jpmem-redis has. */
    private static final List<String> REFUSED_FROM_SCRIPTS = List.of(
            "eval", "evalsha", "eval_ro", "evalsha_ro", "script", "multi", "exec", "discard", "watch", "unwatch",
            "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
            "blpop", "brpop", "brpoplpush", "blmove", "bzpopmin", "bzpopmax",
            "auth", "hello", "reset", "quit", "client", "config", "save", "bgsave", "shutdown", "debug", "monitor",
            "wait", "role", "sync", "psync", "replicaof", "slaveof", "acl", "latency", "module", "function",
            "fcall", "fcall_ro", "failover", "cluster", "bgrewriteaof", "replconf");

    private final Dispatcher dispatcher;
    private LuaScripting engine;
    private final long timeLimitMillis = 5000;

    private ScriptCommands(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Registers the scripting commands, marks the commands scripts may not call, and adds
     * busy-reply-threshold and its old name lua-time-limit (fixed at Redis's default, 5000 ms) to
     * {@code configuration}.
     */
    public static void register(CommandTable table, Dispatcher dispatcher, ConfigRegistry configuration) {
        ScriptCommands s = new ScriptCommands(dispatcher);
        for (String name : List.of("busy-reply-threshold", "lua-time-limit")) {
            configuration.register(ConfigParameter.fixed(name, () -> Long.toString(s.timeLimitMillis),
                    "a script's time limit is fixed (a script that has not written is stopped past it; see docs/redis.md)"));
        }
        table.add(new CommandSpec("eval", -3, EnumSet.of(NO_SCRIPT, MAY_REPLICATE), 0, 0, 0, r -> s.eval(r, false, false)))
                .add(new CommandSpec("evalsha", -3, EnumSet.of(NO_SCRIPT, MAY_REPLICATE), 0, 0, 0, r -> s.eval(r, true, false)))
                .add(new CommandSpec("eval_ro", -3, EnumSet.of(NO_SCRIPT, READONLY), 0, 0, 0, r -> s.eval(r, false, true)))
                .add(new CommandSpec("evalsha_ro", -3, EnumSet.of(NO_SCRIPT, READONLY), 0, 0, 0, r -> s.eval(r, true, true)))
                .add(new CommandSpec("script", -2, EnumSet.of(NO_SCRIPT), 0, 0, 0, s::script));
        for (String name : REFUSED_FROM_SCRIPTS) {
            table.addFlag(name, NO_SCRIPT);
        }
    }

    /** {@return the SHA-1 of {@code bytes} in lower-case hex, as Redis names scripts} */
    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private LuaScripting engine() {
        if (engine == null) {
            try {
                engine = new LuaScripting(dispatcher);
                engine.setTimeLimitMillis(timeLimitMillis);
            } catch (NoClassDefFoundError e) {
                throw new CommandError("ERR scripting is not available in this runtime (no Lua engine: " + e.getMessage() + ")");
            }
        }
        return engine;
    }

    /** EVAL script numkeys [key ...] [arg ...], EVALSHA sha1 numkeys ..., and their _RO forms. */
    private void eval(Request r, boolean bySha, boolean readOnly) {
        long numkeys = r.longArg(2);
        if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        if (numkeys > r.argc() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        LuaScripting lua = engine();
        String sha;
        if (bySha) {
            sha = r.text(1).toLowerCase(Locale.ROOT);
            if (!lua.has(sha)) {
                throw new CommandError("NOSCRIPT No matching script. Please use EVAL.");
            }
        } else {
            sha = sha1(r.arg(1));
            lua.compile(sha, r.arg(1));
        }
        int firstKey = 3;
        int firstArg = 3 + (int) numkeys;
        lua.run(sha, r, r.args().subList(firstKey, firstArg), r.args().subList(firstArg, r.argc()), readOnly);
    }

    /** SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP. */
    private void script(Request r) {
        String sub = r.keyword(1);
        switch (sub) {
            case "LOAD" -> {
                arity(r, 3, 3, "load");
                String sha = sha1(r.arg(2));
                engine().compile(sha, r.arg(2));
                r.reply().bulk(sha);
            }
            case "EXISTS" -> {
                arity(r, 3, Integer.MAX_VALUE, "exists");
                LuaScripting lua = engine();
                r.reply().array(r.argc() - 2);
                for (int i = 2; i < r.argc(); i++) {
                    r.reply().integer(lua.has(r.text(i).toLowerCase(Locale.ROOT)) ? 1 : 0);
                }
            }
            case "FLUSH" -> {
                arity(r, 2, 3, "flush");
                if (r.argc() == 3 && !r.keyword(2).equals("ASYNC") && !r.keyword(2).equals("SYNC")) {
                    throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                }
                if (engine != null) {
                    engine.flush();
                }
                r.reply().simple("OK");
            }
            case "KILL" -> {
                arity(r, 2, 2, "kill");
                // The event loop serves nobody while a script runs, so no script is ever running here.
                throw new CommandError("NOTBUSY No scripts in execution right now.");
            }
            case "HELP" -> {
                arity(r, 2, 2, "help");
                String[] lines = {
                        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "DEBUG (YES|SYNC|NO)",
                        "    Set the debug mode for subsequent scripts executed.",
                        "EXISTS <sha1> [<sha1> ...]",
                        "    Return information about the existence of the scripts in the script cache.",
                        "FLUSH [ASYNC|SYNC]",
                        "    Flush the Lua scripts cache. Very dangerous on replicas.",
                        "    When called without the optional mode argument, the behavior is determined by the",
                        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                        "    * ASYNC: Asynchronously flush the scripts cache.",
                        "    * SYNC: Synchronously flush the scripts cache.",
                        "KILL",
                        "    Kill the currently executing Lua script.",
                        "LOAD <script>",
                        "    Load a script into the scripts cache without executing it.",
                        "HELP",
                        "    Prints this help."};
                r.reply().array(lines.length);
                for (String line : lines) {
                    r.reply().simple(line);
                }
            }
            default -> throw new CommandError("ERR unknown subcommand '" + r.text(1) + "'. Try SCRIPT HELP.");
        }
    }

    private static void arity(Request r, int min, int max, String sub) {
        if (r.argc() < min || r.argc() > max) {
            throw new CommandError("ERR wrong number of arguments for 'script|" + sub + "' command");
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

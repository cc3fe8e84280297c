package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The Lua interpreter behind EVAL (LuaJ), set up as Redis 7.0 sets up its own.
 *
 * <p><b>Sandbox.</b> One interpreter for the server; its global table and every library table are
 * read-only ({@link SandboxGlobals}: assigning a global, even with {@code rawset}, raises Redis's
 * "Attempt to modify a readonly table"; reading an unknown global raises "Script attempted to access
 * nonexistent global variable"). Only the libraries Redis loads are there (base without
 * {@code print}/{@code loadfile}/{@code dofile}, table, string, math, coroutine, and {@link LuaBitLibrary bit}),
 * plus the Lua 5.1 functions Redis scripts use ({@code unpack}, {@code loadstring},
 * {@code table.getn}, {@code table.maxn}, {@code math.mod}, {@code string.gfind}). {@code KEYS} and
 * {@code ARGV} are set before each run, past the read-only guard.
 *
 * <p><b>Commands from scripts.</b> {@code redis.call}/{@code redis.pcall} run a command through the
 * {@link Dispatcher} as if the client had sent it (same database, its own savepoint for a write)
 * into a private {@link RespWriter} whose protocol is the script's ({@code redis.setresp}), and
 * turn the reply into Lua values ({@link LuaReplies}). Redis's refusals come first: unknown
 * command, arity, {@link CommandSpec.Flag#NO_SCRIPT}, writes from EVAL_RO.
 *
 * <p><b>Failures.</b> A script error becomes Redis 7.0's reply: the error's text (a raised
 * {@code {err=...}} table's as is, a string's with {@code ERR} before it) followed by
 * {@code script: <sha>, on @user_script:<line>.}. A fault that is not the script's (the heap is full,
 * a bug) is kept aside when it crosses Lua (whose {@code pcall} would swallow it) and rethrown once
 * the script stops, so the round executor treats it as for any command.
 *
 * <p><b>Time.</b> The event loop is single-threaded: while a script runs nobody else is served, so
 * no client can get {@code -BUSY} or send SCRIPT KILL. {@link ScriptClock} counts instructions;
 * past busy-reply-threshold a script that has not written is stopped with the error SCRIPT KILL
 * gives (what a Redis operator would do); one that wrote runs to its end (docs/redis.md says so).
 */
final class LuaScripting {

    private static final String CHUNK = "user_script";
    private static final Pattern POSITION = Pattern.compile("^user_script:(\\d+) ");

    /** Lua 5.1 functions Redis scripts use that Lua 5.2 (LuaJ) dropped. */
    private static final String LUA51_COMPATIBILITY = """
            table.getn = function(t) return #t end
            table.maxn = function(t)
              local n = 0
              for k in pairs(t) do if type(k) == 'number' and k > n then n = k end end
              return n
            end
            math.mod = math.fmod
            string.gfind = string.gmatch
            """;

    private final Dispatcher dispatcher;
    private final SandboxGlobals globals;
    private final Map<String, LuaValue> functions = new HashMap<>();
    private Run current;
    private final ScriptClock clock = new ScriptClock();
    private volatile boolean killRequested;
    /** busy-reply-threshold (lua-time-limit), in milliseconds; 0: no limit */
    private long timeLimitMillis = 5000;
    private long startNanos;

    /** The state of the script that runs now. */
    private static final class Run {
        final Request request;
        final String sha;
        final boolean readOnly;
        int resp = 2;
        boolean wrote;
        RuntimeException fault;

        Run(Request request, String sha, boolean readOnly) {
            this.request = request;
            this.sha = sha;
            this.readOnly = readOnly;
        }
    }

    LuaScripting(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        SandboxGlobals g = new SandboxGlobals();
        g.load(new JseBaseLib());
        g.load(new PackageLib()); // the libraries register in package.loaded; scripts do not see it
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new CoroutineLib());
        g.load(clock);
        LoadState.install(g);
        LuaC.install(g);
        LuaTable table = (LuaTable) g.get("table");
        g.set("unpack", table.get("unpack"));
        LuaValue load = g.get("load");
        g.set("loadstring", load);
        g.set("bit", LuaBitLibrary.create());
        g.set("redis", redisLibrary());
        for (String removed : new String[] {"print", "loadfile", "dofile", "debug", "package", "require"}) {
            g.set(removed, LuaValue.NIL);
        }
        g.load(LUA51_COMPATIBILITY, "=compatibility").call();
        g.lock();
        globals = g;
    }

    /** {@return whether the script {@code sha} is compiled} */
    boolean has(String sha) {
        return functions.containsKey(sha);
    }

    /** Forgets every compiled script (SCRIPT FLUSH). */
    void flush() {
        functions.clear();
    }

    /** {@return busy-reply-threshold in milliseconds} */
    long timeLimitMillis() {
        return timeLimitMillis;
    }

    /** Sets busy-reply-threshold in milliseconds (0: scripts are never stopped for their time). */
    void setTimeLimitMillis(long millis) {
        timeLimitMillis = millis;
    }

    /** Asks the running script to stop at its next instruction count check. */
    void requestKill() {
        killRequested = true;
    }

    /** {@return whether a script runs now} */
    boolean running() {
        return current != null;
    }

    /** {@return whether the running script wrote something (SCRIPT KILL then refuses)} */
    boolean runningScriptWrote() {
        return current != null && current.wrote;
    }

    /** Compiles {@code body} as script {@code sha}. @throws CommandError with Redis's message if it does not compile */
    void compile(String sha, byte[] body) {
        if (functions.containsKey(sha)) {
            return;
        }
        try {
            LuaValue f = globals.load(new ByteArrayInputStream(body), CHUNK, "t", globals);
            functions.put(sha, f);
        } catch (LuaError e) {
            throw new CommandError("ERR Error compiling script (new function): " + compileMessage(e));
        }
    }

    /**
     * Runs the compiled script {@code sha} for {@code request} with {@code keys} and {@code argv},
     * writing its reply (or its failure, as Redis words it) into the request's reply.
     */
    void run(String sha, Request request, List<byte[]> keys, List<byte[]> argv, boolean readOnly) {
        LuaValue f = functions.get(sha);
        ClientState client = request.client();
        int db = client.db();
        Run run = new Run(request, sha, readOnly);
        current = run;
        killRequested = false;
        client.setRunningScript(true);
        int mark = dispatcher.beginAtomic();
        clock.reset();
        startNanos = System.nanoTime();
        LuaValue result;
        try {
            globals.setInternal("KEYS", LuaReplies.arrayOf(keys));
            globals.setInternal("ARGV", LuaReplies.arrayOf(argv));
            result = f.call();
        } catch (LuaError e) {
            if (run.fault != null) {
                throw run.fault;
            }
            request.reply().error(failure(e, sha));
            return;
        } catch (StackOverflowError e) {
            request.reply().error("ERR user_script: stack overflow script: " + sha + ", on @user_script:0.");
            return;
        } finally {
            current = null;
            dispatcher.endAtomic(mark, client);
            client.setRunningScript(false);
            client.setDb(db); // SELECT inside a script lasts for the script only (Redis 7.0)
        }
        if (run.fault != null) {
            throw run.fault;
        }
        LuaReplies.toReply(result, request.reply(), run.resp);
    }

    /**
     * Redis's reply for an error that ended a script: a raised {@code {err=...}} table's text as is, a
     * message with {@code ERR} and its position ({@code user_script:3: ...}) before it; then the
     * script and the line where it failed.
     */
    private static String failure(LuaError e, String sha) {
        LuaValue object = e.getMessageObject();
        String text;
        int line;
        if (e instanceof CallError ce) {
            text = ce.getMessageObject().get("err").tojstring();
            line = ce.line();
        } else if (object != null && object.istable()) {
            LuaValue err = object.get("err");
            text = err.isstring() ? err.tojstring() : "ERR " + object.tojstring();
            line = lineOf(e.getMessage());
        } else {
            String message = e.getMessage() == null ? "nil" : e.getMessage();
            int trace = message.indexOf("\nstack traceback:");
            if (trace >= 0) {
                message = message.substring(0, trace);
            }
            line = lineOf(message);
            Matcher m = POSITION.matcher(message);
            text = "ERR " + (m.find() ? "user_script:" + m.group(1) + ": " + message.substring(m.end()) : message);
        }
        return text + " script: " + sha + ", on @user_script:" + line + ".";
    }

    private static int lineOf(String message) {
        Matcher m = POSITION.matcher(message == null ? "" : message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String compileMessage(LuaError e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // LuaJ names a chunk without '@' [string "..."], and prints the end of input as token 286
        return message.replace("[string \"user_script\"]", "user_script").replaceAll(" 286 \\(.\\)", " near '<eof>'");
    }

    /**
     * An error that {@code redis.call} (and the other functions of the redis library) raise:
     * Redis's error table; its line is the one that called, as LuaJ notes it while the error
     * leaves the calling function.
     */
    static final class CallError extends LuaError {
        private static final long serialVersionUID = 1L;

        private final int line;

        CallError(LuaValue table, int line) {
            super(table);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    /** {@return the line of the script that called the running library function (0 if unknown)} */
    private int callerLine() {
        return clock.lastLine;
    }

    private LuaTable redisLibrary() {
        LuaTable redis = new LuaTable();
        redis.set("call", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue reply = command(args);
                if (reply.istable() && reply.get("err").isstring()) {
                    throw new CallError(reply, callerLine());
                }
                return reply;
            }
        });
        redis.set("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return command(args);
            }
        });
        redis.set("error_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaReplies.errorTable("-" + checkString(args, "redis.error_reply"));
            }
        });
        redis.set("status_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaReplies.single("ok", checkString(args, "redis.status_reply"));
            }
        });
        redis.set("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw new LuaError("wrong number of arguments");
                }
                LuaString s = args.arg1().checkstring();
                byte[] bytes = new byte[s.rawlen()];
                s.copyInto(0, bytes, 0, bytes.length);
                return LuaValue.valueOf(ScriptCommands.sha1(bytes));
            }
        });
        redis.set("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() < 2) {
                    throw new LuaError("redis.log() requires two arguments or more.");
                }
                if (!args.arg1().isnumber()) {
                    throw new LuaError("First argument must be a number (log level).");
                }
                int level = args.arg1().toint();
                if (level < 0 || level > 3) {
                    throw new LuaError("Invalid debug level.");
                }
                StringBuilder text = new StringBuilder();
                for (int i = 2; i <= args.narg(); i++) {
                    text.append(i > 2 ? " " : "").append(args.arg(i).tojstring());
                }
                System.getLogger("io.jpmem.redis.script").log(level == 3 ? System.Logger.Level.WARNING
                        : level == 0 ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, text.toString());
                return LuaValue.NONE;
            }
        });
        redis.set("setresp", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw new CallError(LuaReplies.single("err", "ERR redis.setresp() requires one argument."), callerLine());
                }
                int resp = args.arg1().isnumber() ? args.arg1().toint() : 0;
                if (resp != 2 && resp != 3) {
                    throw new CallError(LuaReplies.single("err", "ERR RESP version must be 2 or 3."), callerLine());
                }
                current.resp = resp;
                return LuaValue.NONE;
            }
        });
        // Effects are what jpmem-redis passes on anyway (each command a script ran): these only check.
        redis.set("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw new CallError(LuaReplies.single("err", "ERR redis.set_repl() requires one argument."), callerLine());
                }
                int flags = args.arg1().isnumber() ? args.arg1().toint() : -1;
                if ((flags & ~3) != 0) {
                    throw new CallError(LuaReplies.single("err", "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."), callerLine());
                }
                return LuaValue.NONE;
            }
        });
        redis.set("replicate_commands", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.TRUE;
            }
        });
        redis.set("breakpoint", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.FALSE;
            }
        });
        redis.set("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaValue.NONE;
            }
        });
        redis.set("LOG_DEBUG", 0);
        redis.set("LOG_VERBOSE", 1);
        redis.set("LOG_NOTICE", 2);
        redis.set("LOG_WARNING", 3);
        redis.set("REPL_NONE", 0);
        redis.set("REPL_AOF", 1);
        redis.set("REPL_SLAVE", 2);
        redis.set("REPL_REPLICA", 2);
        redis.set("REPL_ALL", 3);
        return redis;
    }

    private static String checkString(Varargs args, String name) {
        if (args.narg() != 1 || !args.arg1().isstring()) {
            throw new LuaError("wrong number or type of arguments");
        }
        return args.arg1().tojstring();
    }

    /** redis.call/pcall: runs a command; {@return its reply as a Lua value (an error as Redis's {err=...} table)} */
    private LuaValue command(Varargs args) {
        Run run = current;
        if (run.fault != null) {
            throw run.fault;
        }
        if (args.narg() == 0) {
            return LuaReplies.single("err", "ERR Please specify at least one argument for this redis lib call");
        }
        List<byte[]> argv = new ArrayList<>(args.narg());
        for (int i = 1; i <= args.narg(); i++) {
            LuaValue a = args.arg(i);
            if (a.type() == LuaValue.TNUMBER) {
                argv.add(LuaReplies.numberText(a.todouble()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else if (a.type() == LuaValue.TSTRING) {
                argv.add(LuaReplies.bytes(a.checkstring()));
            } else {
                return LuaReplies.single("err", "ERR Lua redis lib command arguments must be strings or integers");
            }
        }
        CommandSpec spec = dispatcher.server().commands().find(argv.get(0)).orElse(null);
        if (spec == null) {
            return LuaReplies.single("err", "ERR Unknown Redis command called from script");
        }
        if (!spec.acceptsArgumentCount(argv.size())) {
            return LuaReplies.single("err", "ERR Wrong number of args calling Redis command from script");
        }
        if (spec.is(CommandSpec.Flag.NO_SCRIPT)) {
            return LuaReplies.single("err", "ERR This Redis command is not allowed from script");
        }
        if (run.readOnly && spec.is(CommandSpec.Flag.WRITE)) {
            return LuaReplies.single("err", "ERR Write commands are not allowed from read-only scripts.");
        }
        RespWriter reply = new RespWriter();
        reply.setProtocol(run.resp);
        try {
            dispatcher.run(spec, run.request.client(), argv, reply);
        } catch (RuntimeException e) {
            run.fault = e;
            throw e;
        }
        if (spec.is(CommandSpec.Flag.WRITE)) {
            run.wrote = true; // as Redis: a write command ran, whether or not it changed a key
        }
        return LuaReplies.parse(reply.drain());
    }

    /**
     * {@return whether the running script passed busy-reply-threshold and may be stopped: nobody can
     * send SCRIPT KILL while the single event-loop thread runs it, so the server stops it as SCRIPT
     * KILL would — only a script that has not written (one that wrote runs on, as in Redis, where
     * only SHUTDOWN NOSAVE stops it)}
     */
    private boolean overTime() {
        return timeLimitMillis > 0 && current != null && !current.wrote
                && System.nanoTime() - startNanos > timeLimitMillis * 1_000_000L;
    }

    /**
     * Counts instructions (the place a script is stopped once a kill was requested) and notes the
     * line of the last one run: the line Redis names for an error a library function raised (with a
     * tail call, {@code return redis.call(...)}, the calling function's frame is gone by then).
     */
    private final class ScriptClock extends DebugLib {
        private final java.util.ArrayDeque<java.util.Optional<LuaClosure>> calls = new java.util.ArrayDeque<>();
        private int count;
        int lastLine;

        void reset() {
            calls.clear();
            lastLine = 0;
        }

        @Override
        public void onCall(LuaFunction f) {
            super.onCall(f);
            calls.push(java.util.Optional.empty());
        }

        @Override
        public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
            super.onCall(c, varargs, stack);
            calls.push(java.util.Optional.of(c));
        }

        @Override
        public void onReturn() {
            super.onReturn();
            calls.poll();
        }

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            super.onInstruction(pc, v, top);
            java.util.Optional<LuaClosure> running = calls.peek();
            if (running != null && running.isPresent()) {
                int[] lines = running.get().p.lineinfo;
                if (lines != null && pc >= 0 && pc < lines.length) {
                    lastLine = lines[pc];
                }
            }
            if ((++count & 0xFFFF) == 0 && (killRequested || overTime())) {
                killRequested = false;
                throw new CallError(LuaReplies.single("err", "ERR Script killed by user with SCRIPT KILL..."), callerLine());
            }
        }
    }
}

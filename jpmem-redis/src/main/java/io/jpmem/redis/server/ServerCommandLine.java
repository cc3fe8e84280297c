package io.jpmem.redis.server;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.LogSync;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@code bin/jpmem-redis}: an optional Redis-style configuration file first
 * (its directives are the options' names without {@code --}), then {@code --name=value} or
 * {@code --name value} options, which override the file, as redis-server's do; {@code -h/--help},
 * {@code -V/--version}.
 *
 * <p>Parsed by hand rather than with picocli (which the {@code jpmem} tool uses): picocli's classes
 * are compiled for Java 5, so the JDK can neither archive nor link them ahead of time, and loading
 * and verifying them took about 120 ms of every start, most of the server's restart time
 * (BENCHMARKS.md). A dozen options do not need a framework.
 */
final class ServerCommandLine {

    private ServerCommandLine() {}

    static final String VERSION = "jpmem-redis 0.1.0 (Redis 7.0.15 semantics)";

    /** What the command line asked for. */
    sealed interface Parsed permits Serve, Help, Version {}

    /**
     * Run the server with these options.
     *
     * @param configFile the configuration file they were read from (CONFIG REWRITE writes into it), or null
     */
    record Serve(ServerOptions options, Path configFile) implements Parsed {

        Serve(ServerOptions options) {
            this(options, null);
        }
    }

    /** Print {@link #usage()} and exit 0. */
    record Help() implements Parsed {}

    /** Print {@link #VERSION} and exit 0. */
    record Version() implements Parsed {}

    /** A bad command line: the message names the option and what is wrong with its value. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The options, their value names, defaults (null: none) and descriptions, in --help order. */
    private record Option(String name, String value, String defaultValue, String description) {}

    private static final List<Option> OPTIONS = List.of(
            new Option("--port", "<port>", "6379", "TCP port (0 picks a free one, printed at start)"),
            new Option("--bind", "<address>", "127.0.0.1", "address to listen on (loopback only by default)"),
            new Option("--heap", "<file>", "data/jpmem-redis.heap", "heap file, created if missing"),
            new Option("--heap-size", "<size>", "1g", "maximum size of a new heap, e.g. 256m or 4g"),
            new Option("--durability", "<power|process>", "power",
                    "power: acknowledged writes survive power loss; process: a crash of the process"),
            new Option("--appendfsync", "<always|everysec|no>", "always",
                    "with power on a disk: fdatasync the log before each reply, once a second, or at checkpoints"),
            new Option("--requirepass", "<password>", null, "password clients must AUTH with (default: none)"),
            new Option("--maxclients", "<n>", "10000", "most client connections at once"),
            new Option("--recovery-gc", "<on|off>", "off",
                    "after a crash, also free blocks nothing reaches (a check: transactions never leak)"),
            new Option("--databases", "<n>", "16", "number of databases, SELECT 0..n-1 (1..1024)"),
            new Option("--proto-max-bulk-len", "<bytes>", "536870912", "longest bulk string a client may send"),
            new Option("--dir", "<directory>", ".", "where SAVE and BGSAVE write the RDB file"),
            new Option("--dbfilename", "<name>", "dump.rdb", "the RDB file's name in --dir"),
            new Option("--import-rdb", "<file>", null,
                    "fill a new heap from this RDB file before serving (refused if the heap holds data)"));

    /** {@return the --help text} */
    static String usage() {
        StringBuilder out = new StringBuilder("""
                Usage: jpmem-redis [redis.conf] [--option=value | --option value]...
                A Redis-compatible server whose dataset lives in a jpmem persistent heap: every write is
                committed before its reply leaves, and a restart serves at once, without AOF or RDB.
                A config file holds the same options, one per line without "--" (e.g. "port 6380");
                options on the command line override it.

                """);
        for (Option o : OPTIONS) {
            String right = o.description() + (o.defaultValue() == null ? "" : " (default: " + o.defaultValue() + ")");
            appendOption(out, "  " + o.name() + "=" + o.value(), right);
        }
        appendOption(out, "  -h, --help", "print this help and exit");
        appendOption(out, "  -V, --version", "print the version and exit");
        return out.toString();
    }

    private static final int LEFT = 32;
    private static final int WIDTH = 100;

    /** Appends an option's line: its name, then its description wrapped at {@link #WIDTH} columns. */
    private static void appendOption(StringBuilder out, String left, String description) {
        StringBuilder line = new StringBuilder(left);
        if (line.length() >= LEFT) {
            out.append(line).append('\n');
            line.setLength(0);
        }
        for (String word : description.split(" ")) {
            if (line.length() > LEFT && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line.setLength(0);
            }
            while (line.length() < LEFT) {
                line.append(' ');
            }
            if (line.length() > LEFT) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException for an unknown option, a missing value, or a bad value
     */
    static Parsed parse(String... args) throws UsageException {
        Map<String, String> given = new LinkedHashMap<>();
        Path configFile = null;
        int first = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            configFile = Path.of(args[0]);
            first = 1;
            for (ConfigFile.Directive d : ConfigFile.read(configFile)) {
                String value = directive(configFile, d);
                if (value != null) {
                    given.put("--" + d.name(), value);
                }
            }
        }
        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return new Help();
                }
                case "-V", "--version" -> {
                    return new Version();
                }
                default -> { }
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (OPTIONS.stream().noneMatch(o -> o.name().equals(name))) {
                throw new UsageException(arg.startsWith("-") ? "unknown option '" + name + "'"
                        : "unexpected argument '" + arg + "' (options are --name=value)");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            given.put(name, value);
        }
        return new Serve(options(given), configFile);
    }

    /** Redis directives that cannot apply here, with why, when not given the value that matches what jpmem-redis does. */
    private static final Map<String, String[]> INAPPLICABLE = Map.of(
            "appendonly", new String[] {"no", "every write is durable in the heap when acknowledged: there is no append-only file"},
            "save", new String[] {"", "the dataset lives in the heap: there are no snapshots to schedule"},
            "daemonize", new String[] {"no", "jpmem-redis runs in the foreground"},
            "maxmemory", new String[] {null, "the heap's size is fixed when it is created: use heap-size"});

    /** {@return the option value a config file directive gives, or null for a directive that changes nothing} */
    private static String directive(Path file, ConfigFile.Directive d) throws UsageException {
        String where = file + ", line " + d.line() + ": ";
        String[] inapplicable = INAPPLICABLE.get(d.name());
        if (inapplicable != null) {
            String value = String.join(" ", d.args());
            if (inapplicable[0] != null && value.equalsIgnoreCase(inapplicable[0])) {
                return null;
            }
            throw new UsageException(where + "'" + d.name() + " " + value + "' cannot apply: " + inapplicable[1]);
        }
        if (OPTIONS.stream().noneMatch(o -> o.name().equals("--" + d.name()))) {
            throw new UsageException(where + "unknown directive '" + d.name() + "'");
        }
        if (d.args().size() != 1) {
            throw new UsageException(where + "'" + d.name() + "' takes one value");
        }
        return d.args().getFirst();
    }

    private static ServerOptions options(Map<String, String> given) throws UsageException {
        Map<String, String> v = new LinkedHashMap<>();
        for (Option o : OPTIONS) {
            String value = given.getOrDefault(o.name(), o.defaultValue());
            if (value != null) {
                v.put(o.name(), value);
            }
        }
        int port = integer(v, "--port", 0, 65535, "a TCP port (0..65535)");
        long heapSize = HeapOptions.parseByteSize(v.get("--heap-size")).orElseThrow(() -> new UsageException(
                "--heap-size: '" + v.get("--heap-size") + "' is not a size such as 256m or 4g"));
        Durability durability = switch (v.get("--durability").toLowerCase(Locale.ROOT)) {
            case "power" -> Durability.POWER;
            case "process" -> Durability.PROCESS;
            default -> throw new UsageException("--durability: '" + v.get("--durability") + "' is not power or process");
        };
        LogSync appendFsync = switch (v.get("--appendfsync").toLowerCase(Locale.ROOT)) {
            case "always" -> LogSync.ALWAYS;
            case "everysec" -> LogSync.EVERYSEC;
            case "no" -> LogSync.NO;
            default -> throw new UsageException("--appendfsync: '" + v.get("--appendfsync") + "' is not always, everysec or no");
        };
        boolean recoveryGc = switch (v.get("--recovery-gc").toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UsageException("--recovery-gc: '" + v.get("--recovery-gc") + "' is not on or off");
        };
        int maxClients = integer(v, "--maxclients", 1, Integer.MAX_VALUE, "a positive number");
        int databases = integer(v, "--databases", 1, 1024, "a number of databases (1..1024)");
        long maxBulk;
        try {
            maxBulk = Long.parseLong(v.get("--proto-max-bulk-len"));
        } catch (NumberFormatException e) {
            maxBulk = 0;
        }
        if (maxBulk < 1) {
            throw new UsageException("--proto-max-bulk-len: '" + v.get("--proto-max-bulk-len") + "' is not a positive number of bytes");
        }
        if (v.get("--heap").isEmpty() || v.get("--bind").isEmpty()) {
            throw new UsageException("--heap and --bind must not be empty");
        }
        String dbFilename = v.get("--dbfilename");
        if (dbFilename.isEmpty() || dbFilename.contains("/") || dbFilename.equals(".") || dbFilename.equals("..")) {
            throw new UsageException("--dbfilename: '" + dbFilename + "' is not a file name (no directory part)");
        }
        if (v.get("--dir").isEmpty()) {
            throw new UsageException("--dir must not be empty");
        }
        return new ServerOptions(v.get("--bind"), port, Path.of(v.get("--heap")), heapSize, durability,
                Optional.ofNullable(v.get("--requirepass")).filter(p -> !p.isEmpty()), maxClients, recoveryGc, databases, maxBulk,
                Path.of(v.get("--dir")), dbFilename, Optional.ofNullable(v.get("--import-rdb")).map(Path::of), appendFsync);
    }

    private static int integer(Map<String, String> v, String name, int min, int max, String what) throws UsageException {
        String text = v.get(name);
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + ": '" + text + "' is not " + what);
    }
}

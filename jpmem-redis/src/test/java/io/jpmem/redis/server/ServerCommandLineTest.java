package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** bin/jpmem-redis's command line: defaults, both option forms, every bad value named, and --help kept true. */
class ServerCommandLineTest {

    private static ServerOptions serve(String... args) throws Exception {
        return assertInstanceOf(ServerCommandLine.Serve.class, ServerCommandLine.parse(args)).options();
    }

    private static String refused(String... args) {
        return assertThrows(ServerCommandLine.UsageException.class, () -> ServerCommandLine.parse(args)).getMessage();
    }

    @Test
    void defaults() throws Exception {
        ServerOptions o = serve();
        assertEquals(new ServerOptions("127.0.0.1", 6379, Path.of("data/jpmem-redis.heap"), 1L << 30, Durability.POWER,
                Optional.empty(), 10000, false, 16, 536870912L, Path.of("."), "dump.rdb", Optional.empty()), o);
    }

    @Test
    void bothFormsOfEveryOption() throws Exception {
        ServerOptions o = serve("--port=7000", "--bind", "0.0.0.0", "--heap=x/y.heap", "--heap-size", "256m",
                "--durability=PROCESS", "--requirepass", "s3cret", "--maxclients=5", "--recovery-gc", "on",
                "--databases=4", "--proto-max-bulk-len", "1024", "--dir", "backups", "--dbfilename=x.rdb",
                "--import-rdb", "in/dump.rdb");
        assertEquals(new ServerOptions("0.0.0.0", 7000, Path.of("x/y.heap"), 256L << 20, Durability.PROCESS,
                Optional.of("s3cret"), 5, true, 4, 1024, Path.of("backups"), "x.rdb", Optional.of(Path.of("in/dump.rdb"))), o);
        assertEquals("a=b", serve("--requirepass=a=b").requirePass().orElseThrow(), "only the first '=' separates");
    }

    @Test
    void helpAndVersionWin() throws Exception {
        assertInstanceOf(ServerCommandLine.Help.class, ServerCommandLine.parse("--port=1", "-h"));
        assertInstanceOf(ServerCommandLine.Help.class, ServerCommandLine.parse("--help"));
        assertInstanceOf(ServerCommandLine.Version.class, ServerCommandLine.parse("-V"));
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("--port: 'x' is not a TCP port (0..65535)", refused("--port=x"));
        assertEquals("--port: '65536' is not a TCP port (0..65535)", refused("--port", "65536"));
        assertEquals("--heap-size: 'big' is not a size such as 256m or 4g", refused("--heap-size=big"));
        assertEquals("--durability: 'disk' is not power or process", refused("--durability=disk"));
        assertEquals("--recovery-gc: 'yes' is not on or off", refused("--recovery-gc=yes"));
        assertEquals("--maxclients: '0' is not a positive number", refused("--maxclients=0"));
        assertEquals("--databases: '2000' is not a number of databases (1..1024)", refused("--databases=2000"));
        assertEquals("--proto-max-bulk-len: '-1' is not a positive number of bytes", refused("--proto-max-bulk-len=-1"));
        assertEquals("--dbfilename: 'a/b.rdb' is not a file name (no directory part)", refused("--dbfilename=a/b.rdb"));
        assertEquals("--dir must not be empty", refused("--dir="));
        assertEquals("unknown option '--nope'", refused("--nope=1"));
        assertEquals("unexpected argument 'stray' (options are --name=value)", refused("--port=1", "stray"));
        assertEquals("--port needs a value", refused("--port"));
    }

    @Test
    void aConfigFileGivesOptionsAndTheCommandLineOverridesIt() throws Exception {
        Path conf = Files.createTempFile("jpmem-redis", ".conf");
        try {
            Files.writeString(conf, """
                    # a redis.conf
                    port 7001
                    bind 0.0.0.0
                    heap "/tmp/with space.heap"
                    heap-size 256m
                    Durability process
                    requirepass 'pw'
                    databases 4
                    daemonize no
                    appendonly no
                    save ""
                    """);
            ServerCommandLine.Serve s = assertInstanceOf(ServerCommandLine.Serve.class,
                    ServerCommandLine.parse(conf.toString(), "--port", "7002"));
            assertEquals(new ServerOptions("0.0.0.0", 7002, Path.of("/tmp/with space.heap"), 256L << 20, Durability.PROCESS,
                    Optional.of("pw"), 10000, false, 4, 536870912L, Path.of("."), "dump.rdb", Optional.empty()), s.options());
            assertEquals(conf, s.configFile());
            Files.writeString(conf, "port 1\nappendonly yes\n");
            assertEquals(conf + ", line 2: 'appendonly yes' cannot apply: every write is durable in the heap when"
                    + " acknowledged: there is no append-only file", refused(conf.toString()));
            Files.writeString(conf, "maxmemory 1gb\n");
            assertTrue(refused(conf.toString()).contains("use heap-size"));
            Files.writeString(conf, "\n  loglevel verbose\n");
            assertEquals(conf + ", line 2: unknown directive 'loglevel'", refused(conf.toString()));
            Files.writeString(conf, "port 1 2\n");
            assertEquals(conf + ", line 1: 'port' takes one value", refused(conf.toString()));
            Files.writeString(conf, "port \"1\n");
            assertTrue(refused(conf.toString()).contains("unbalanced quotes"));
            Files.writeString(conf, "port x\n");
            assertEquals("--port: 'x' is not a TCP port (0..65535)", refused(conf.toString()));
            assertTrue(refused("/no/such/redis.conf").startsWith("cannot read the config file"));
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    @Test
    void exitStatuses() {
        assertEquals(0, RedisServer.run("--version"));
        assertEquals(2, RedisServer.run("--port=x"));
    }

    /** Every option of --help is in docs/redis.md's table with the same default, and the other way round. */
    @Test
    void helpMatchesTheDocs() throws Exception {
        String usage = ServerCommandLine.usage();
        String docs = Files.readString(Path.of("../docs/redis.md"));
        Matcher option = Pattern.compile("(?m)^  (--[a-z-]+)=\\S+").matcher(usage);
        int count = 0;
        while (option.find()) {
            count++;
            assertTrue(docs.contains("`" + option.group(1) + "="), option.group(1) + " is missing from docs/redis.md");
        }
        assertEquals(14, count, usage);
        Matcher documented = Pattern.compile("\\| `(--[a-z-]+)=").matcher(docs);
        while (documented.find()) {
            assertTrue(usage.contains("  " + documented.group(1) + "="), documented.group(1) + " is documented but not an option");
        }
        assertFalse(usage.lines().anyMatch(l -> l.length() > 100), "lines fit in 100 columns");
    }
}

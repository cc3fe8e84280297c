package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONFIG against redis-server: SET of one or several parameters (all checked before any applies),
 * its errors, GET with several patterns, RESETSTAT and REWRITE; parameters that cannot apply here
 * are refused naming why; and REWRITE into the configuration file the server started with.
 */
class ConfigCommandsTest {

    @TempDir
    Path dir;

    @Test
    void setGetAndTheirErrorsMatchRedis() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
             RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             TestServer.Client a = ours.client();
             TestServer.Client b = redis.client()) {
            Differential.assertSame("CONFIG", a, b, Differential.script(
                    "CONFIG SET maxclients 500", "CONFIG GET maxclients",
                    "CONFIG SET maxclients abc", "CONFIG SET maxclients 0", "CONFIG SET maxclients -5",
                    "CONFIG SET databases 3", "CONFIG SET foo 1", "CONFIG SET maxclients 10 maxclients 11",
                    "CONFIG SET maxclients", "CONFIG SET maxclients 100 databases 4", "CONFIG GET maxclients",
                    "CONFIG SET maxclients 100 requirepass", "CONFIG SET MAXCLIENTS 77", "CONFIG GET MAXC*",
                    "CONFIG GET", "CONFIG GET nothing-like-this", "CONFIG RESETSTAT x", "CONFIG REWRITE",
                    "CONFIG HELP x", "CONFIG FOO", "CONFIG SET requirepass s3cret maxclients 90",
                    "AUTH s3cret", "CONFIG GET requirepass", "CONFIG SET requirepass x maxclients 0",
                    "CONFIG GET requirepass"));
            // several patterns: Redis answers in the order of its (randomly seeded) hash table, so the
            // pairs are compared as a set
            assertEquals(pairs(b.call("CONFIG", "GET", "maxclients", "requirepass", "maxc*")),
                    pairs(a.call("CONFIG", "GET", "maxclients", "requirepass", "maxc*")));
        }
    }

    @Test
    void aNewPasswordAppliesToNewConnectionsAndResetstatZeroesTheCounters() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16); TestServer.Client c = server.client()) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "requirepass", "pw"));
            assertEquals("+PONG\r\n", c.call("PING"), "a connection already in keeps its access, as in Redis");
            try (TestServer.Client late = server.client()) {
                assertEquals("-NOAUTH Authentication required.\r\n", late.call("GET", "k"));
                assertEquals("+OK\r\n", late.call("AUTH", "pw"));
            }
            for (int i = 0; i < 5; i++) {
                c.call("PING");
            }
            assertFalse(c.call("INFO", "stats").contains("total_commands_processed:0\r\n"));
            assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
            assertTrue(c.call("INFO", "stats").contains("total_commands_processed:1\r\n"), "only the INFO after it");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxclients", "2"));
            try (TestServer.Client second = server.client(); TestServer.Client third = server.client()) {
                assertEquals("+OK\r\n", second.call("AUTH", "pw"));
                assertEquals("-ERR max number of clients reached\r\n", third.reply());
            }
        }
    }

    @Test
    void parametersThatCannotApplyAreRefusedNamingWhy() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16); TestServer.Client c = server.client()) {
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - can't set immutable config:"
                    + " the heap's size is fixed when it is created (jpmem-heap-size)\r\n", c.call("CONFIG", "SET", "maxmemory", "1"));
            assertTrue(c.call("CONFIG", "SET", "appendonly", "yes").contains("every write is durable in the heap"));
            assertTrue(c.call("CONFIG", "SET", "port", "7000").contains("jpmem-redis sets it when it starts"));
            assertEquals("-ERR The server is running without a config file\r\n", c.call("CONFIG", "REWRITE"));
        }
    }

    @Test
    void rewriteWritesChangedParametersIntoTheConfigFileAndKeepsTheRest() throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "# my server\nport 0\nmaxclients 100\n\n# password below\n");
        ServerOptions read = ((ServerCommandLine.Serve) ServerCommandLine.parse(conf.toString())).options();
        assertEquals(100, read.maxClients());
        try (TestServer server = new TestServer(dir, Optional.empty(), 100); TestServer.Client c = server.client()) {
            server.loop.core().configFile(conf);
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxclients", "50", "requirepass", "a b\"c"));
            assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
        }
        assertEquals("# my server\nport 0\nmaxclients 50\n\n# password below\nrequirepass \"a b\\\"c\"\n", Files.readString(conf));
        ServerOptions again = ((ServerCommandLine.Serve) ServerCommandLine.parse(conf.toString())).options();
        assertEquals(50, again.maxClients());
        assertEquals(Optional.of("a b\"c"), again.requirePass());
    }

    /** {@return the name/value pairs of a CONFIG GET reply, in name order} */
    private static java.util.SortedMap<String, String> pairs(String reply) {
        String[] lines = reply.split("\r\n", -1);
        java.util.SortedMap<String, String> pairs = new java.util.TreeMap<>();
        for (int i = 1; i + 3 < lines.length; i += 4) { // *N, then $len name $len value per pair
            pairs.put(lines[i + 1], lines[i + 3]);
        }
        assertEquals(Integer.parseInt(lines[0].substring(1)), 2 * pairs.size(), reply);
        return pairs;
    }
}

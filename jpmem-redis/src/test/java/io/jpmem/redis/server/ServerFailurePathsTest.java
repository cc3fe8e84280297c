package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.persist.Durability;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's failure paths, each test named after the bug it pins. */
class ServerFailurePathsTest {

    @TempDir
    Path dir;

    @Test
    void commandsPipelinedAfterQuitAreNotExecuted() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16)) {
            try (TestServer.Client c = server.client()) {
                c.send(TestServer.request("SET", "before", "1") + TestServer.request("QUIT")
                        + TestServer.request("SET", "after", "1"));
                assertEquals("+OK\r\n", c.reply());
                assertEquals("+OK\r\n", c.reply());
                assertTrue(c.closedByServer());
            }
            try (TestServer.Client c = server.client()) {
                assertEquals(":1\r\n", c.call("EXISTS", "before"));
                assertEquals(":0\r\n", c.call("EXISTS", "after"), "a command after QUIT ran");
            }
        }
    }

    @Test
    void activeExpiryOnAFullHeapKeepsTheServerUpAndEmptiesIt() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16); TestServer.Client c = server.client()) {
            String value = "v".repeat(4000);
            int stored = 0;
            for (int i = 0; i < 100_000; i++) {
                String reply = c.call("SET", "k" + i, value, "PX", "300");
                if (reply.startsWith("-OOM")) {
                    break;
                }
                stored++;
            }
            assertTrue(stored > 100, "stored " + stored + " keys before the heap was full");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String size;
            do {
                Thread.sleep(100);
                size = c.call("DBSIZE"); // the server answers: the expiry cycle did not stop it
            } while (!size.equals(":0\r\n") && System.nanoTime() < deadline);
            assertEquals(":0\r\n", size, "active expiry emptied the full heap");
            assertEquals("+OK\r\n", c.call("SET", "again", "1"), "and writes work again");
        }
    }

    @Test
    void delOfManyKeysAndFlushallOnAFullHeapSucceedAKeyPerTransaction() throws Exception {
        String value = "v".repeat(4000);
        int stored = 0;
        try (TestServer server = new TestServer(dir, Optional.empty(), 16); TestServer.Client c = server.client()) {
            for (int i = 0; i < 100_000; i++) { // a tenth with an expiry: deleting them frees their expiry entry too
                String reply = i % 10 == 0 ? c.call("SET", "k" + i, value, "EX", "3600") : c.call("SET", "k" + i, value);
                if (reply.startsWith("-OOM")) {
                    break;
                }
                assertEquals("+OK\r\n", reply);
                stored++;
            }
            assertTrue(stored > 1_000, "stored " + stored + " keys before the heap was full");
            assertTrue(c.call("SET", "one-more", value).startsWith("-OOM"), "the heap is full");
            String[] del = new String[1_001];
            del[0] = "DEL";
            for (int i = 0; i < 1_000; i++) {
                del[i + 1] = "k" + i;
            }
            assertEquals(":1000\r\n", c.call(del), "DEL of 1,000 keys on a full heap");
            assertEquals(":" + (stored - 1_000) + "\r\n", c.call("DBSIZE"));
            for (int i = 1_000; i < stored; i++) { // fill it again
                if (c.call("SET", "k" + i + "-again", value).startsWith("-OOM")) {
                    break;
                }
            }
            assertEquals(":0\r\n", c.call("UNLINK", "k0", "missing"), "a delete of nothing on a full heap");
            assertEquals("+OK\r\n", c.call("SELECT", "3"));
            assertEquals("+OK\r\n", c.call("SET", "in-db-3", "x"));
            try (TestServer.Client watcher = server.client()) {
                assertEquals("+OK\r\n", watcher.call("WATCH", "k" + (stored - 1)));
                assertEquals("+OK\r\n", watcher.call("MULTI"));
                assertEquals("+QUEUED\r\n", watcher.call("GET", "k" + (stored - 1)));
                assertEquals("+OK\r\n", c.call("FLUSHALL"), "FLUSHALL on a full heap");
                assertEquals("*-1\r\n", watcher.call("EXEC"), "the key-at-a-time deletes signalled the watcher");
            }
            assertEquals(":0\r\n", c.call("DBSIZE"), "database 3 is empty");
            assertEquals("+OK\r\n", c.call("SELECT", "0"));
            assertEquals(":0\r\n", c.call("DBSIZE"), "database 0 is empty");
            int again = 0;
            for (int i = 0; i < stored; i++) {
                if (c.call("SET", "k" + i, value).startsWith("-OOM")) {
                    break;
                }
                again++;
            }
            assertTrue(again >= stored - stored / 20, "after FLUSHALL " + again + " keys fit, before " + stored);
            assertEquals("+OK\r\n", c.call("FLUSHDB"), "FLUSHDB on a full heap");
            assertEquals(":0\r\n", c.call("DBSIZE"));
            assertEquals("+OK\r\n", c.call("SET", "last", "1"), "writes work again");
        }
        try (PersistentHeap heap = PersistentHeap.open(dir.resolve("redis.heap"), Durability.PROCESS)) {
            assertEquals(List.of(), heap.check());
            assertEquals(0, heap.unreachableBlocks(), "nothing leaked");
            assertEquals(0, heap.allocationStats().logBytes(), "no log extension kept");
        }
    }

    @Test
    void sigtermClosesTheHeapCleanly() throws Exception {
        Path heap = dir.resolve("term.heap");
        try (ChildJvm server = ServerChild.start(heap)) {
            int port = ServerChild.portOf(server);
            try (TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", port))) {
                assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            }
            server.terminate();
            int exit = server.waitFor(Duration.ofSeconds(60));
            List<String> rest = server.drainLines();
            assertTrue(rest.contains("jpmem-redis: heap closed cleanly"), "exit " + exit + ": " + rest + "\n" + server.stderr());
        }
        try (PersistentHeap reopened = PersistentHeap.open(heap, Durability.PROCESS)) {
            assertTrue(reopened.wasClosedCleanly(), "SIGTERM ended with the heap marked clean");
        }
    }
}

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

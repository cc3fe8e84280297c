package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.heap.testing.SmallFileSystem;
import io.jpmem.persist.Durability;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a file system that fills up (an 8 MiB tmpfs under a 64 MiB heap, whose log slots take 4 MiB): writes that need
 * more space get an error reply, the server stays up and serves reads, deletes and new writes into
 * the space they free; after a SIGKILL every acknowledged write is there and the heap checks clean.
 */
class ServerFullFileSystemTest {

    @TempDir
    Path dir;

    @Test
    void aFullFileSystemGetsErrorRepliesAndLosesNoAcknowledgedWrite() throws Exception {
        String value = "x".repeat(100_000);
        try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("small"), 8L << 20)) {
            Path heap = fs.dir().resolve("server.heap");
            int acknowledged = 0;
            try (ChildJvm server = ServerChild.start(heap);
                 TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", ServerChild.portOf(server)))) {
                String refused = null;
                for (int i = 0; i < 1000 && refused == null; i++) {
                    String reply = c.call("SET", "k" + i, value + i);
                    if (reply.startsWith("-")) {
                        refused = reply;
                    } else {
                        assertEquals("+OK\r\n", reply, "SET k" + i);
                        acknowledged++;
                    }
                }
                assertTrue(refused != null, "an 8 MiB file system took " + acknowledged + " values of 100 kB");
                assertTrue(refused.startsWith("-OOM"), refused);
                assertTrue(acknowledged > 5, "acknowledged " + acknowledged);
                assertEquals("+PONG\r\n", c.call("PING"), "the server lives");
                assertEquals(":" + acknowledged + "\r\n", c.call("DBSIZE"));
                assertEquals(":1\r\n", c.call("DEL", "k0"), "a delete commits on a full file system");
                assertEquals("+OK\r\n", c.call("SET", "again", "small"), "and a small write fits in what it freed");
                server.kill();
            }
            try (ChildJvm server = ServerChild.start(heap);
                 TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", ServerChild.portOf(server)))) {
                assertEquals(":0\r\n", c.call("EXISTS", "k0"));
                assertEquals("$5\r\nsmall\r\n", c.call("GET", "again"));
                for (int i = 1; i < acknowledged; i++) {
                    String expected = value + i;
                    assertEquals("$" + expected.length() + "\r\n" + expected + "\r\n", c.call("GET", "k" + i), "k" + i);
                }
                server.terminate();
                server.waitFor(Duration.ofSeconds(60));
            }
            try (PersistentHeap reopened = PersistentHeap.open(heap, Durability.PROCESS)) {
                assertTrue(reopened.wasClosedCleanly());
                assertEquals(List.of(), reopened.check());
                assertEquals(0, reopened.unreachableBlocks(), "no block leaked");
            }
        }
    }
}

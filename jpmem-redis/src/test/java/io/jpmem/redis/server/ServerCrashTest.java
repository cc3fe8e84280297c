package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.persist.Durability;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under load, killed with SIGKILL again and again ({@code -Djpmem.redisKills=N}, default
 * 20). A loader runs transactions {@code MULTI; SET op:i v<i>; RPUSH log i; INCR count; EXEC} and
 * records which were acknowledged. After each kill: the heap recovers with a clean check and no
 * leaked block; then, through a restarted server, every acknowledged operation is present, and
 * nothing is half-applied: the log is exactly 0..count-1 and each logged operation's key holds its
 * value.
 */
class ServerCrashTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAndNothingIsHalfApplied() throws Exception {
        int kills = Integer.getInteger("jpmem.redisKills", 20);
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path heap = dir.resolve("redis-crash.heap");
        long acknowledged = 0; // operations 0..acknowledged-1 were acknowledged
        for (int kill = 0; kill < kills; kill++) {
            String context = "seed " + seed + " kill " + kill;
            try (ChildJvm server = ServerChild.start(heap)) {
                int port = ServerChild.portOf(server);
                long deadline = System.nanoTime() + Duration.ofMillis(100 + random.nextInt(500)).toNanos();
                try (TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", port))) {
                    long next = acknowledged;
                    while (System.nanoTime() < deadline) {
                        c.command("MULTI");
                        c.command("SET", "op:" + next, "v" + next);
                        c.command("RPUSH", "log", Long.toString(next));
                        c.command("INCR", "count");
                        c.command("EXEC");
                        for (int i = 0; i < 4; i++) {
                            c.reply(); // +OK, QUEUED x3
                        }
                        String exec = c.reply();
                        assertTrue(exec.startsWith("*3\r\n+OK\r\n:" + (next + 1) + "\r\n:" + (next + 1) + "\r\n"), context + ": " + exec);
                        acknowledged = ++next;
                    }
                    c.command("MULTI"); // one more, in flight when the kill comes
                    c.command("SET", "op:" + next, "v" + next);
                    c.command("RPUSH", "log", Long.toString(next));
                    c.command("INCR", "count");
                    c.command("EXEC");
                    server.kill();
                }
            }
            try (PersistentHeap recovered = PersistentHeap.open(heap, Durability.PROCESS)) {
                assertEquals(List.of(), recovered.check(), context);
                assertEquals(0, recovered.recoveryReport().reclaimedBlocks(), context + ": the crash leaked blocks");
            }
            try (ChildJvm server = ServerChild.start(heap);
                 TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", ServerChild.portOf(server)))) {
                String countReply = c.call("GET", "count");
                long count = countReply.equals("$-1\r\n") ? 0 : Long.parseLong(countReply.split("\r\n")[1]);
                assertTrue(count == acknowledged || count == acknowledged + 1,
                        context + ": count " + count + ", acknowledged " + acknowledged);
                assertEquals(":" + count + "\r\n", c.call("LLEN", "log"), context);
                List<String> log = new ArrayList<>();
                String range = c.call("LRANGE", "log", "0", "-1");
                String[] lines = range.split("\r\n");
                for (int i = 2; i < lines.length; i += 2) {
                    log.add(lines[i]);
                }
                for (int i = 0; i < count; i++) {
                    assertEquals(Long.toString(i), log.get(i), context + ": the log is 0..count-1");
                }
                for (long i = Math.max(0, count - 50); i < count; i++) {
                    String v = "v" + i;
                    assertEquals("$" + v.length() + "\r\n" + v + "\r\n", c.call("GET", "op:" + i), context);
                }
                assertEquals("$-1\r\n", c.call("GET", "op:" + count), context + ": an operation beyond the count");
                acknowledged = count; // the in-flight one may have committed: continue after it
                c.command("SHUTDOWN");
                assertEquals(0, server.waitFor(Duration.ofSeconds(30)), context + ": clean shutdown\n" + server.stderr());
            }
        }
        System.out.println("ServerCrashTest: kills=" + kills + " operations=" + acknowledged + " seed=" + seed);
        assertTrue(acknowledged > kills, "the loader made progress: " + acknowledged);
        assertTrue(Files.exists(heap));
    }
}

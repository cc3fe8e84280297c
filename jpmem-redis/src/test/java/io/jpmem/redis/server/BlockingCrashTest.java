package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.testing.ChildJvm;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking pops under SIGKILL ({@code -Djpmem.redisBlockingKills=N}, default 10). A producer
 * pushes 0, 1, 2, ... onto {@code queue}; a consumer moves them with {@code BLMOVE queue done LEFT
 * RIGHT}, mostly blocked and woken by the producer's push, so its pop is served inside the
 * producer's round. After each kill and restart: every acknowledged push is in {@code done} or
 * still in {@code queue}, every acknowledged move is in {@code done}, and nothing is lost,
 * duplicated or half-moved: {@code done} followed by {@code queue} is exactly 0..n-1.
 */
class BlockingCrashTest {

    @TempDir
    Path dir;

    private static List<Long> range(TestServer.Client c, String key) throws IOException {
        List<Long> values = new ArrayList<>();
        String[] lines = c.call("LRANGE", key, "0", "-1").split("\r\n");
        for (int i = 2; i < lines.length; i += 2) {
            values.add(Long.parseLong(lines[i]));
        }
        return values;
    }

    @Test
    void everyAcknowledgedBlockingPopSurvivesSigkill() throws Exception {
        int kills = Integer.getInteger("jpmem.redisBlockingKills", 10);
        long seed = Long.getLong("jpmem.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path heap = dir.resolve("blocking-crash.heap");
        long pushed = 0; // 0..pushed-1 acknowledged (or found) pushed
        long moved = 0;  // 0..moved-1 acknowledged (or found) moved
        long servedWhileBlocked = 0;
        for (int kill = 0; kill < kills; kill++) {
            String context = "seed " + seed + " kill " + kill;
            AtomicLong acknowledgedMoves = new AtomicLong(moved);
            AtomicLong consumerFailure = new AtomicLong(-1);
            try (ChildJvm server = ServerChild.start(heap)) {
                int port = ServerChild.portOf(server);
                long deadline = System.nanoTime() + Duration.ofMillis(200 + random.nextInt(500)).toNanos();
                long expectedMove = moved;
                Thread consumer = Thread.ofPlatform().start(() -> {
                    long next = expectedMove;
                    try (TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", port))) {
                        c.socket.setSoTimeout(0);
                        while (true) {
                            String reply = c.call("BLMOVE", "queue", "done", "LEFT", "RIGHT", "1");
                            if (reply.equals("*-1\r\n")) {
                                continue; // a timeout: try again
                            }
                            String v = Long.toString(next);
                            if (!reply.equals("$" + v.length() + "\r\n" + v + "\r\n")) {
                                consumerFailure.set(next);
                                return;
                            }
                            acknowledgedMoves.set(++next);
                        }
                    } catch (IOException killed) {
                        // the server died: the last BLMOVE may or may not have committed
                    }
                });
                try (TestServer.Client p = new TestServer.Client(new Socket("127.0.0.1", port))) {
                    long next = pushed;
                    while (System.nanoTime() < deadline) {
                        String reply = p.call("RPUSH", "queue", Long.toString(next));
                        assertTrue(reply.startsWith(":"), context + ": " + reply);
                        pushed = ++next;
                        if (reply.equals(":1\r\n")) {
                            servedWhileBlocked++; // most likely the consumer was waiting for it
                        }
                        if (random.nextInt(4) == 0) {
                            Thread.sleep(1); // let the consumer catch up and block
                        }
                    }
                    p.command("RPUSH", "queue", Long.toString(next)); // in flight at the kill
                    server.kill();
                }
                consumer.join(10_000);
                assertFalse(consumer.isAlive(), context);
            }
            assertEquals(-1, consumerFailure.get(), context + ": a move returned an unexpected element");
            try (PersistentHeap recovered = PersistentHeap.open(heap, Durability.PROCESS)) {
                assertEquals(List.of(), recovered.check(), context);
                assertEquals(0, recovered.recoveryReport().reclaimedBlocks(), context + ": the crash leaked blocks");
            }
            try (ChildJvm server = ServerChild.start(heap);
                 TestServer.Client c = new TestServer.Client(new Socket("127.0.0.1", ServerChild.portOf(server)))) {
                List<Long> done = range(c, "done");
                List<Long> queue = range(c, "queue");
                List<Long> all = new ArrayList<>(done);
                all.addAll(queue);
                for (int i = 0; i < all.size(); i++) {
                    assertEquals(i, all.get(i), context + ": done then queue is 0..n-1 (nothing lost, duplicated or half-moved)");
                }
                assertTrue(all.size() == pushed || all.size() == pushed + 1, context + ": " + all.size() + " elements, "
                        + pushed + " pushes acknowledged");
                assertTrue(done.size() >= acknowledgedMoves.get(), context + ": " + done.size() + " moved, "
                        + acknowledgedMoves.get() + " moves acknowledged");
                assertTrue(done.size() <= acknowledgedMoves.get() + 1, context + ": at most the in-flight move more");
                pushed = all.size();
                moved = done.size();
                c.command("SHUTDOWN");
                assertEquals(0, server.waitFor(Duration.ofSeconds(30)), context + ": clean shutdown\n" + server.stderr());
            }
        }
        System.out.println("BlockingCrashTest: kills=" + kills + " pushed=" + pushed + " moved=" + moved
                + " pushesOntoAnEmptyQueue=" + servedWhileBlocked + " seed=" + seed);
        assertTrue(moved > kills, "the consumer made progress: " + moved);
    }
}

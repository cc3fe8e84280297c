package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.KeyValue;

/**
 * The blocking pops against redis-server: their immediate replies and errors (a differential
 * script), blocked clients served in FIFO order by another client's write, timeouts, MULTI and
 * CLIENT UNBLOCK (the same steps on both servers, three clients each, every reply compared); then
 * Jedis's blocking pop with a timeout.
 */
class BlockingCommandsTest {

    @TempDir
    Path dir;

    @Test
    void immediateRepliesAndErrorsMatchRedis() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
             RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             TestServer.Client a = ours.client();
             TestServer.Client b = redis.client()) {
            List<List<String>> script = Differential.script(
                    "RPUSH l1 a b c", "RPUSH l2 x", "SET s str", "ZADD z 1 m1 2 m2 3 m3",
                    "BLPOP l0 l1 l2 0", "BRPOP l0 l2 l1 1", "LRANGE l1 0 -1", "EXISTS l2",
                    "BLPOP s 0", "BLPOP l1 s 0", "BLPOP l0 x", "BLPOP l0 -1", "BLPOP l0 inf", "BLPOP l0 nan",
                    "BLPOP l0 1e20", "BLPOP l0", "BRPOP l1",
                    "BLMOVE l1 d LEFT RIGHT 0", "BLMOVE l1 d UP RIGHT 0", "BLMOVE l1 d LEFT RIGHT -2",
                    "RPUSH l1 q", "BLMOVE l1 s LEFT RIGHT 0", "BRPOPLPUSH d l1 0", "LRANGE l1 0 -1", "LRANGE d 0 -1",
                    "RPUSH m 1 2 3 4 5", "BLMPOP 0 2 l0 m LEFT", "BLMPOP 0 2 l0 m RIGHT COUNT 3", "BLMPOP 0 1 m LEFT COUNT 9",
                    "BLMPOP 0 0 m LEFT", "BLMPOP 0 x m LEFT", "BLMPOP 0 3 m LEFT", "BLMPOP 0 1 m MIDDLE",
                    "BLMPOP 0 1 m LEFT COUNT 0", "BLMPOP 0 1 m LEFT COUNT 2 COUNT 3", "BLMPOP -1 1 m LEFT", "BLMPOP 0 1 s LEFT",
                    "BZPOPMIN z 0", "BZPOPMAX nothing z 0", "BZPOPMIN s 0", "BZPOPMIN z -1",
                    "ZADD z2 1.5 a 2.5 b 3.5 c", "BZMPOP 0 2 z z2 MIN COUNT 5", "BZMPOP 0 1 z2 MAX COUNT 2", "BZMPOP 0 1 z2 MIN",
                    "BZMPOP 0 1 z2 LEFT", "BZMPOP 0 0 z2 MIN", "EXISTS z z2",
                    "MULTI", "BLPOP empty 0", "BRPOPLPUSH empty d 0", "BLMOVE empty d LEFT LEFT 0", "BZPOPMIN empty 0",
                    "BLMPOP 0 1 empty LEFT", "BZMPOP 0 1 empty MIN", "RPUSH full 1", "BLPOP full 0", "EXEC");
            Differential.assertSame("blocking pops that do not block", a, b, script);
            a.call("HELLO", "3"); // its reply names the client id, which differs
            b.call("HELLO", "3");
            script = Differential.script("RPUSH r3 v", "ZADD rz 5 m", "BLPOP r3 0", "BZPOPMIN rz 0", "ZADD rz 5 m 6 n",
                    "BZMPOP 0 1 rz MAX COUNT 2", "MULTI", "BLPOP none 0", "BZPOPMAX none 0", "EXEC");
            Differential.assertSame("blocking pops that do not block, in RESP3", a, b, script);
        }
    }

    /** A step on one of three clients (a fourth only watches INFO): send a command, then read one reply from each listed client. */
    private record Step(int client, List<String> command, int[] readFrom, int blockedAfter) {}

    private static Step step(int client, String command, int... readFrom) {
        return new Step(client, List.of(command.split(" ")), readFrom, -1);
    }

    /** Sends a command that blocks its client; waits until the server counts {@code blocked} blocked clients. */
    private static Step blocks(int client, String command, int blocked) {
        return new Step(client, List.of(command.split(" ")), new int[0], blocked);
    }

    private static List<String> play(TestServer.Client[] clients, List<Step> steps) throws Exception {
        List<String> seen = new ArrayList<>();
        for (Step s : steps) {
            clients[s.client()].command(s.command().toArray(String[]::new));
            StringBuilder out = new StringBuilder(s.client() + ": " + String.join(" ", s.command()) + " ->");
            for (int from : s.readFrom()) {
                out.append(' ').append(from).append(':').append(clients[from].reply());
            }
            if (s.blockedAfter() >= 0) {
                awaitBlocked(clients[clients.length - 1], s.blockedAfter()); // the observer, never blocked
            }
            seen.add(out.toString());
        }
        return seen;
    }

    private static void awaitBlocked(TestServer.Client observer, int blocked) throws Exception {
        for (int i = 0; i < 1000; i++) {
            if (observer.call("INFO", "clients").contains("blocked_clients:" + blocked + "\r\n")) {
                return;
            }
            Thread.sleep(5);
        }
        fail("never saw " + blocked + " blocked clients");
    }

    private void assertSameAsRedis(String what, List<Step> steps) throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem-" + what), Optional.empty(), 16);
             RedisPeer redis = RedisPeer.start(dir.resolve("redis-" + what))) {
            TestServer.Client[] a = {ours.client(), ours.client(), ours.client(), ours.client()};
            TestServer.Client[] b = {redis.client(), redis.client(), redis.client(), redis.client()};
            try {
                assertEquals(play(b, steps), play(a, steps), what);
            } finally {
                for (int i = 0; i < a.length; i++) {
                    a[i].close();
                    b[i].close();
                }
            }
        }
    }

    @Test
    void blockedClientsAreServedInOrderByOtherClientsWrites() throws Exception {
        assertSameAsRedis("fifo", List.of(
                blocks(0, "BLPOP q1 q2 0", 1),
                blocks(1, "BLPOP q2 0", 2),
                step(2, "RPUSH q2 a b c", 2, 0, 1),
                step(2, "LRANGE q2 0 -1", 2),
                blocks(0, "BRPOP q3 0", 1),
                step(2, "RPUSH other x", 2),
                step(2, "SET q3 string", 2),
                step(2, "DEL q3", 2),
                step(2, "LPUSH q3 y", 2, 0),
                blocks(1, "BLMOVE src dst RIGHT LEFT 0", 1),
                blocks(0, "BLPOP dst 0", 2),
                step(2, "RPUSH src e1", 2, 1, 0),
                step(2, "EXISTS src dst", 2),
                blocks(0, "BZPOPMIN zq 0", 1),
                blocks(1, "BZMPOP 0 1 zq MAX COUNT 5", 2),
                step(2, "ZADD zq 1 one 2 two 3 three", 2, 0, 1),
                blocks(0, "BLMPOP 0 2 m1 m2 RIGHT COUNT 2", 1),
                step(2, "MULTI", 2),
                step(2, "RPUSH m2 a b c", 2),
                step(2, "RPUSH m1 d", 2),
                step(2, "EXEC", 2, 0),
                step(2, "LRANGE m1 0 -1", 2),
                step(2, "LRANGE m2 0 -1", 2),
                blocks(0, "BRPOPLPUSH src2 dst2 0", 1),
                step(2, "RPUSH src2 v", 2, 0),
                step(0, "PING", 0)));
    }

    @Test
    @SuppressWarnings("try") // the waiting client is closed by hand, mid-test
    void timeoutsAndClientUnblockMatchRedis() throws Exception {
        assertSameAsRedis("timeouts", List.of(
                step(0, "BLPOP t 0.05", 0),
                step(0, "BLMOVE t d LEFT LEFT 0.05", 0),
                step(0, "BRPOPLPUSH t d 0.01", 0),
                step(0, "BZPOPMAX t 0.02", 0),
                step(0, "BLMPOP 0.01 1 t LEFT", 0),
                step(0, "BZMPOP 0.01 1 t MIN", 0),
                step(0, "CLIENT SETNAME waiter", 0),
                blocks(0, "BLPOP u 0", 1),
                step(1, "CLIENT UNBLOCK 987654 TIMEOUT", 1),
                step(1, "CLIENT UNBLOCK x", 1),
                step(1, "CLIENT UNBLOCK 1 MAYBE", 1),
                step(1, "RPUSH u after", 1, 0),
                step(0, "LPOP u", 0)));
        try (TestServer ours = new TestServer(dir.resolve("unblock"), Optional.empty(), 16);
             TestServer.Client waiter = ours.client(); TestServer.Client other = ours.client()) {
            String id = waiter.call("CLIENT", "ID").substring(1).trim();
            waiter.command("BLPOP", "u", "0");
            awaitBlocked(other, 1);
            assertEquals(":1\r\n", other.call("CLIENT", "UNBLOCK", id));
            assertEquals("*-1\r\n", waiter.reply(), "unblocked as by a timeout");
            assertEquals(":0\r\n", other.call("CLIENT", "UNBLOCK", id), "no longer blocked");
            waiter.command("BZPOPMIN", "z", "0");
            awaitBlocked(other, 1);
            assertEquals(":1\r\n", other.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", waiter.reply());
            waiter.send(TestServer.request("BLPOP", "p", "0") + TestServer.request("PING") + TestServer.request("LLEN", "p"));
            awaitBlocked(other, 1);
            assertEquals(":1\r\n", other.call("RPUSH", "p", "x"));
            assertEquals("*2\r\n$1\r\np\r\n$1\r\nx\r\n", waiter.reply());
            assertEquals("+PONG\r\n", waiter.reply(), "the commands pipelined after a blocking one wait for it");
            assertEquals(":0\r\n", waiter.reply());
            waiter.command("BLPOP", "gone", "0");
            awaitBlocked(other, 1);
            waiter.close();
            for (int i = 0; i < 200 && !other.call("INFO", "clients").contains("blocked_clients:0\r\n"); i++) {
                Thread.sleep(5);
            }
            assertEquals(":1\r\n", other.call("RPUSH", "gone", "kept"), "a disconnected waiter takes nothing");
            assertEquals(":1\r\n", other.call("LLEN", "gone"));
        }
    }

    @Test
    void jedisBlockingPopWithTimeout() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
             Jedis consumer = new Jedis("127.0.0.1", server.loop.port());
             Jedis producer = new Jedis("127.0.0.1", server.loop.port())) {
            long start = System.nanoTime();
            assertNull(consumer.blpop(0.2, "jobs"), "nothing came within the timeout");
            assertTrue(System.nanoTime() - start >= 150_000_000L, "it waited for (about) the timeout");
            Thread pusher = Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", server.loop.port())) {
                    for (int i = 0; i < 500 && !j.info("clients").contains("blocked_clients:1"); i++) {
                        Thread.sleep(5);
                    }
                    j.rpush("jobs", "job-1");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            KeyValue<String, String> got = consumer.blpop(10.0, "jobs");
            pusher.join(10_000);
            assertEquals("jobs", got.getKey());
            assertEquals("job-1", got.getValue());
            assertEquals(List.of("jobs", "job-2"), withPush(producer, consumer));
            assertEquals(0, producer.llen("jobs"));
        }
    }

    private static List<String> withPush(Jedis producer, Jedis consumer) {
        producer.rpush("jobs", "job-2");
        return consumer.brpop(1, "jobs");
    }
}

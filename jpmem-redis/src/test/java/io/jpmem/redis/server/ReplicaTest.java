package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.testing.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * jpmem-redis as a replica of Debian's redis-server: full resync into a dataset that replaces ours,
 * the stream, -READONLY for clients, ROLE and INFO, REPLICAOF NO ONE promoting it, a master that
 * sends garbage (disconnected and tried again), and SIGKILL during a full resync leaving the old
 * dataset or the whole new one, never a mix.
 */
class ReplicaTest {

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 25_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void awaitCaughtUp(Jedis master, Jedis ours) throws InterruptedException {
        await("our replica to catch up", () -> {
            String mine = ours.info("replication");
            return "up".equals(field(mine, "master_link_status"))
                    && field(master.info("replication"), "master_repl_offset").equals(field(mine, "slave_repl_offset"));
        });
    }

    @Test
    void followsRedisServerThenIsPromoted(@TempDir Path dir) throws Exception {
        try (RedisPeer peer = RedisPeer.start(dir.resolve("master"));
             Jedis master = new Jedis("127.0.0.1", peer.port());
             TestServer server = new TestServer(dir, Optional.empty(), 100);
             Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
            ours.set("old", "replaced by the master's dataset");
            RdbCorpus.fill(master);
            master.set("ttl", "v");
            master.expire("ttl", 1000);
            assertEquals("OK", ours.replicaof("127.0.0.1", peer.port()));
            awaitCaughtUp(master, ours);
            assertEquals(DatasetView.of(master, 16), DatasetView.of(ours, 16));

            master.rpush("l", "a", "b");
            master.incrByFloat("f", 2.5);
            master.sadd("s", "x", "y");
            master.spop("s");
            master.select(4);
            master.set("db4", "v");
            master.select(0);
            master.eval("redis.call('SET', 'a', '1'); redis.call('INCR', 'a'); return 1", 0);
            master.set("short", "v", redis.clients.jedis.params.SetParams.setParams().px(1));
            awaitCaughtUp(master, ours);
            await("the master's DEL of the expired key", () -> master.dbSize() == ours.dbSize());
            assertEquals(DatasetView.of(master, 16), DatasetView.of(ours, 16));

            JedisDataException readOnly = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                    () -> ours.set("mine", "1"));
            assertEquals("READONLY You can't write against a read only replica.", readOnly.getMessage());
            List<Object> role = ours.role();
            assertEquals("slave", role.get(0));
            assertEquals("connected", role.get(3));
            assertEquals("1", field(master.info("replication"), "connected_slaves"));

            assertEquals("OK", ours.replicaofNoOne());
            assertEquals("master", ours.role().get(0));
            assertEquals("OK", ours.set("mine", "1"), "a promoted replica takes writes");
            String info = ours.info("replication");
            assertEquals("role:master", info.split("\r\n")[1]);
            await("the master to see its replica go", () -> "0".equals(field(master.info("replication"), "connected_slaves")));
        }
    }

    @Test
    void aRestartedReplicaContinuesFromTheOffsetInItsHeap(@TempDir Path dir) throws Exception {
        try (RedisPeer peer = RedisPeer.start(dir.resolve("master"));
             Jedis master = new Jedis("127.0.0.1", peer.port())) {
            RdbCorpus.fill(master);
            try (TestServer server = new TestServer(dir, Optional.empty(), 100);
                 Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
                ours.replicaof("127.0.0.1", peer.port());
                awaitCaughtUp(master, ours);
                master.select(5);
                master.set("in-db-5", "1");
                awaitCaughtUp(master, ours);
            }
            master.set("while-we-were-down", "1"); // still in database 5: the stream selects nothing again
            master.select(0);
            try (TestServer server = new TestServer(dir, Optional.empty(), 100);
                 Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
                ours.replicaof("127.0.0.1", peer.port());
                awaitCaughtUp(master, ours);
                assertEquals("1", field(master.info("stats"), "sync_partial_ok"), master.info("stats"));
                assertEquals("1", field(master.info("stats"), "sync_full"), "no second full resync");
                assertEquals(DatasetView.of(master, 16), DatasetView.of(ours, 16));
            }
        }
    }

    @Test
    void aMasterThatSendsGarbageIsDroppedAndTriedAgain(@TempDir Path dir) throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             TestServer server = new TestServer(dir, Optional.empty(), 100);
             Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
            ours.set("kept", "1");
            ours.replicaof("127.0.0.1", fake.getLocalPort());
            fake.setSoTimeout(20_000);
            for (int attempt = 0; attempt < 2; attempt++) { // garbage, then garbage again: each time a new connection
                try (Socket s = fake.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write("this is no redis\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertTrue(s.getInputStream().read() >= 0, "it sent PING");
                    await("our replica to drop the link", () -> {
                        try {
                            return s.getInputStream().read() < 0;
                        } catch (IOException e) {
                            return true;
                        }
                    });
                }
            }
            assertEquals("1", ours.get("kept"), "nothing of ours changed");
            assertEquals("down", field(ours.info("replication"), "master_link_status"));
        }
    }

    @Test
    void sigkillDuringAFullResyncLeavesTheOldDatasetOrTheWholeNewOne(@TempDir Path dir) throws Exception {
        try (RedisPeer peer = RedisPeer.start(dir.resolve("master"));
             Jedis master = new Jedis("127.0.0.1", peer.port())) {
            String value = "v".repeat(1000);
            for (int batch = 0; batch < 20; batch++) {
                redis.clients.jedis.Pipeline p = master.pipelined();
                for (int i = 0; i < 1000; i++) {
                    p.set("new" + (batch * 1000 + i), value);
                }
                p.sync();
            }
            Path heap = dir.resolve("replica.heap");
            int port;
            try (ChildJvm child = ServerChild.start(heap, "--dir", dir.toString())) {
                port = ServerChild.portOf(child);
                try (Jedis ours = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; i < 100; i++) {
                        ours.set("old" + i, "1");
                    }
                    ours.replicaof("127.0.0.1", peer.port());
                    await("the sync to start", () -> "1".equals(field(master.info("replication"), "connected_slaves"))
                            || !"0".equals(field(master.info("stats"), "sync_full")));
                }
                child.kill();
            }
            try (ChildJvm child = ServerChild.start(heap, "--dir", dir.toString());
                 Jedis ours = new Jedis("127.0.0.1", ServerChild.portOf(child))) {
                long size = ours.dbSize();
                Map<String, DatasetView.Entry> data = DatasetView.of(ours, 16);
                boolean old = size == 100 && data.keySet().stream().allMatch(k -> k.startsWith("0/old"));
                boolean whole = size == 20_000 && data.keySet().stream().allMatch(k -> k.startsWith("0/new"));
                assertTrue(old || whole, "after the kill: " + size + " keys, old ones among them: "
                        + data.keySet().stream().filter(k -> k.startsWith("0/old")).count());
                System.out.println("ReplicaTest: the kill left the " + (old ? "old" : "new") + " dataset");
            }
        }
    }
}

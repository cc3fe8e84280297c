package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Debian's redis-server as a replica of jpmem-redis: the full resync (our RDB loaded by it), the
 * stream of writes of every type in their deterministic form (expiries absolute, SPOP as SREM,
 * INCRBYFLOAT as SET, scripts and MULTI/EXEC as their effects), DELs of keys that expired here,
 * partial resync after the link breaks, WAIT, ROLE and INFO replication. The datasets are compared
 * key by key (type, elements, exact expiry time).
 */
class ReplicationMasterTest {

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
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

    /** Waits until the replica has processed everything we have sent. */
    private static void awaitCaughtUp(Jedis ours, Jedis replica) throws InterruptedException {
        await("the replica to catch up", () -> {
            String theirs = replica.info("replication");
            return "up".equals(field(theirs, "master_link_status"))
                    && field(ours.info("replication"), "master_repl_offset").equals(field(theirs, "slave_repl_offset"));
        });
    }

    private static void assertSameData(Jedis ours, Jedis replica) {
        Map<String, DatasetView.Entry> mine = DatasetView.of(ours, 16);
        Map<String, DatasetView.Entry> theirs = DatasetView.of(replica, 16);
        assertEquals(mine, theirs);
        for (int db = 0; db < 16; db++) {
            ours.select(db);
            replica.select(db);
            assertEquals(ours.dbSize(), replica.dbSize(), "keys of db " + db + " (expired ones deleted by our DEL)");
        }
        ours.select(0);
        replica.select(0);
    }

    @Test
    void redisServerReplicatesUsFullyThenByStreamThenPartially(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
            RdbCorpus.fill(ours);
            ours.set("ttl", "v");
            ours.expire("ttl", 1000);
            try (RedisPeer peer = RedisPeer.start(dir.resolve("replica"), "--replicaof", "127.0.0.1",
                         Integer.toString(server.loop.port()));
                 Jedis replica = new Jedis("127.0.0.1", peer.port())) {
                awaitCaughtUp(ours, replica);
                assertSameData(ours, replica);
                assertEquals("1", field(ours.info("stats"), "sync_full"));

                // the stream: every type, relative expiries, random and float commands, MULTI/EXEC, a script
                ours.set("s", "1");
                ours.append("s", "23");
                ours.incr("n");
                ours.incrByFloat("f", 1.1);
                ours.sendCommand(redis.clients.jedis.Protocol.Command.SETEX, "sx", "500", "v");
                ours.sendCommand(redis.clients.jedis.Protocol.Command.PSETEX, "psx", "500000", "v");
                ours.set("sexp", "v", redis.clients.jedis.params.SetParams.setParams().ex(300));
                ours.pexpire("s", 900_000);
                ours.getEx("n", redis.clients.jedis.params.GetExParams.getExParams().ex(400));
                ours.rpush("l", "a", "b", "c");
                ours.lpop("l");
                ours.hset("h", Map.of("a", "1", "b", "2"));
                ours.hincrByFloat("h", "a", 0.25);
                ours.sadd("set", "a", "b", "c", "d", "e");
                ours.spop("set");
                ours.spop("set", 2);
                ours.zadd("z", Map.of("a", 1.0, "b", 2.5));
                ours.zincrby("z", 1.5, "a");
                ours.select(3);
                ours.set("db3", "x");
                ours.select(0);
                ours.pfadd("hll", "a", "b");
                ours.copy("s", "s-copy", true);
                ours.rename("l", "l2");
                ours.del("z");
                redis.clients.jedis.Transaction multi = ours.multi();
                multi.set("m1", "1");
                multi.incr("m2");
                multi.set("m3", "3");
                multi.exec();
                ours.select(0);
                ours.eval("redis.call('SET', KEYS[1], ARGV[1]); redis.call('EXPIRE', KEYS[1], 100);"
                        + " redis.call('SPOP', KEYS[2]); redis.call('SELECT', 2); redis.call('SET', 'in-db-2', '1'); return 1",
                        2, "script", "set", "by-script");
                ours.set("short", "v", redis.clients.jedis.params.SetParams.setParams().px(50));
                ours.set("lazy", "v", redis.clients.jedis.params.SetParams.setParams().px(30));
                await("our active expiry", () -> !ours.exists("short"));
                assertEquals(null, ours.get("lazy"));
                awaitCaughtUp(ours, replica);
                assertSameData(ours, replica);

                // WAIT, ROLE, INFO
                ours.set("w", "1");
                assertEquals(1, ours.waitReplicas(1, 10_000));
                assertEquals(1, ours.waitReplicas(2, 100), "one replica acknowledged; the wait ends at its timeout");
                String info = ours.info("replication");
                assertEquals("master", field(info, "role"));
                assertEquals("1", field(info, "connected_slaves"));
                assertTrue(field(info, "slave0").startsWith("ip=127.0.0.1,port=" + peer.port() + ",state=online"), info);
                assertEquals(field(info, "master_replid"), field(replica.info("replication"), "master_replid"));
                assertEquals("master", ours.role().get(0));

                // the link breaks: the replica continues from our backlog
                replica.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
                        .type(redis.clients.jedis.args.ClientType.MASTER));
                ours.set("while-away", "1");
                ours.lpush("l2", "x");
                await("the replica to reconnect", () -> "1".equals(field(ours.info("stats"), "sync_partial_ok")));
                awaitCaughtUp(ours, replica);
                assertSameData(ours, replica);
                assertEquals("1", field(ours.info("stats"), "sync_full"), "no second full resync");
            }
        }
    }

    @Test
    void aRestartKeepsTheReplicationIdAndOffset(@TempDir Path dir) throws Exception {
        String id;
        String offset;
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
            ours.set("a", "1");
            try (RedisPeer peer = RedisPeer.start(dir.resolve("replica"), "--replicaof", "127.0.0.1",
                         Integer.toString(server.loop.port()));
                 Jedis replica = new Jedis("127.0.0.1", peer.port())) {
                awaitCaughtUp(ours, replica);
                ours.set("b", "2");
                awaitCaughtUp(ours, replica);
            }
            String info = ours.info("replication");
            id = field(info, "master_replid");
            offset = field(info, "master_repl_offset");
            assertTrue(Long.parseLong(offset) > 0, info);
        }
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             Jedis ours = new Jedis("127.0.0.1", server.loop.port())) {
            String info = ours.info("replication");
            assertEquals(id, field(info, "master_replid"));
            assertEquals(offset, field(info, "master_repl_offset"));
            assertEquals("1", field(info, "repl_backlog_active"), "the backlog follows the writes again from the start");
            ours.set("c", "3");
            assertTrue(Long.parseLong(field(ours.info("replication"), "master_repl_offset")) > Long.parseLong(offset));
        }
    }
}

package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.redis.rdb.Crc64;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * DUMP and RESTORE between jpmem-redis and Debian's redis-server: every key of {@link RdbCorpus}
 * (every type and encoding, expiries, several databases) dumped by one and restored into the
 * other, both ways, must give the same dataset; RESTORE's options and errors must answer as
 * redis-server's do for the same requests.
 */
class DumpRestoreTest {

    @TempDir
    Path dir;

    /** Moves every key of {@code from} to {@code to} by DUMP and RESTORE ... ABSTTL (the expiry kept exactly). */
    private static void migrate(Jedis from, Jedis to) {
        for (int db : RdbCorpus.DATABASES) {
            from.select(db);
            to.select(db);
            for (byte[] key : from.keys("*".getBytes(StandardCharsets.US_ASCII))) {
                byte[] payload = from.dump(key);
                long expireAt = from.pexpireTime(key);
                Object ok = to.sendCommand(Protocol.Command.RESTORE, key, bytes(Long.toString(Math.max(0, expireAt))), payload,
                        bytes("ABSTTL"));
                assertEquals("OK", new String((byte[]) ok, StandardCharsets.UTF_8));
            }
        }
        from.select(0);
        to.select(0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void redisPayloadsRestoreIntoOurs() throws Exception {
        try (RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 100);
             Jedis theirs = new Jedis("127.0.0.1", redis.port());
             Jedis mine = new Jedis("127.0.0.1", ours.loop.port())) {
            RdbCorpus.fill(theirs);
            migrate(theirs, mine);
            Map<String, DatasetView.Entry> expected = DatasetView.of(theirs, 16);
            assertTrue(expected.size() > 60);
            RdbFileTest.assertSameData(expected, DatasetView.of(mine, 16));
        }
    }

    @Test
    void ourPayloadsRestoreIntoRedis() throws Exception {
        try (RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 100);
             Jedis theirs = new Jedis("127.0.0.1", redis.port());
             Jedis mine = new Jedis("127.0.0.1", ours.loop.port())) {
            RdbCorpus.fill(mine);
            migrate(mine, theirs);
            Map<String, DatasetView.Entry> expected = DatasetView.of(mine, 16);
            assertTrue(expected.size() > 60);
            RdbFileTest.assertSameData(expected, DatasetView.of(theirs, 16));
            // and back again: what redis-server dumps of what it restored from us restores into us
            mine.flushAll();
            migrate(theirs, mine);
            RdbFileTest.assertSameData(expected, DatasetView.of(mine, 16));
        }
    }

    /** {@return the reply to a command as text, an error as '-' and its message} */
    private static String call(Jedis jedis, byte[]... args) {
        try {
            Object reply = jedis.sendCommand(() -> args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
            return switch (reply) {
                case null -> "(nil)";
                case byte[] b -> new String(b, StandardCharsets.ISO_8859_1);
                case Long l -> ":" + l;
                default -> reply.toString();
            };
        } catch (JedisDataException e) {
            return "-" + e.getMessage();
        }
    }

    /** {@return a payload with its checksum recomputed after {@code edit}} */
    private static byte[] resealed(byte[] payload, java.util.function.Consumer<byte[]> edit) {
        byte[] p = payload.clone();
        edit.accept(p);
        long crc = Crc64.of(p, 0, p.length - 8);
        for (int i = 0; i < 8; i++) {
            p[p.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    @Test
    void optionsAndErrorsAnswerAsRedis() throws Exception {
        try (RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 100);
             Jedis theirs = new Jedis("127.0.0.1", redis.port());
             Jedis mine = new Jedis("127.0.0.1", ours.loop.port())) {
            theirs.set("s", "hello");
            byte[] good = theirs.dump("s");
            byte[] emptyList = {1, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            List<byte[][]> script = new ArrayList<>();
            script.add(new byte[][] {bytes("SET"), bytes("existing"), bytes("x")});
            script.add(new byte[][] {bytes("DUMP"), bytes("nosuchkey")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("existing"), bytes("0"), good});
            script.add(new byte[][] {bytes("RESTORE"), bytes("existing"), bytes("x"), good});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("x"), good});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("-1"), good});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), bytes("short")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), resealed(good, p -> { })});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), flip(good, 3)});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), flip(good, good.length - 1)});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), resealed(good, p -> p[p.length - 10] = 11)});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), resealed(good, p -> p[0] = 99)});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), resealed(emptyList, p -> { })});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("NOPE")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("IDLETIME")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("IDLETIME"), bytes("-1")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("IDLETIME"), bytes("x")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("FREQ"), bytes("256")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("IDLETIME"), bytes("5"), bytes("FREQ"), bytes("1")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("FREQ"), bytes("5"), bytes("IDLETIME"), bytes("1")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("FREQ"), bytes("5")});
            script.add(new byte[][] {bytes("GET"), bytes("k")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0"), good, bytes("replace"), bytes("IDLETIME"), bytes("100")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k2"), bytes("100000"), good});
            script.add(new byte[][] {bytes("TTL"), bytes("k2")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k3"), bytes("1000"), good, bytes("ABSTTL")}); // long past
            script.add(new byte[][] {bytes("EXISTS"), bytes("k3")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("existing"), bytes("1000"), good, bytes("ABSTTL"), bytes("REPLACE")});
            script.add(new byte[][] {bytes("EXISTS"), bytes("existing")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k4"), bytes("99999999999999"), good, bytes("ABSTTL")});
            script.add(new byte[][] {bytes("PEXPIRETIME"), bytes("k4")});
            script.add(new byte[][] {bytes("LPUSH"), bytes("list"), bytes("a")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("list"), bytes("0"), good, bytes("REPLACE")});
            script.add(new byte[][] {bytes("TYPE"), bytes("list")});
            script.add(new byte[][] {bytes("DUMP")});
            script.add(new byte[][] {bytes("RESTORE"), bytes("k"), bytes("0")});
            List<String> differences = new ArrayList<>();
            for (byte[][] command : script) {
                String a = call(mine, command);
                String b = call(theirs, command);
                if (!a.equals(b)) {
                    differences.add(new String(command[0], StandardCharsets.UTF_8) + " " + new String(command[1], StandardCharsets.UTF_8)
                            + ": jpmem " + a + " / redis " + b);
                }
            }
            assertEquals(List.of(), differences);
            assertNotEquals("(nil)", call(mine, bytes("DUMP"), bytes("k")));
        }
    }

    private static byte[] flip(byte[] payload, int at) {
        byte[] p = payload.clone();
        p[at] ^= 1;
        return p;
    }
}

package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.redis.rdb.RdbException;
import io.jpmem.redis.rdb.RdbReader;
import io.jpmem.redis.rdb.RdbValue;
import io.jpmem.redis.rdb.RdbWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * The RDB reader and writer against Debian's redis-server 7.0: redis-server writes a dump.rdb of
 * {@link RdbCorpus} (every encoding it has for our types), our reader must read the same dataset
 * key by key as redis-server answers; our writer's file must pass redis-check-rdb and load into a
 * fresh redis-server with the same answers; damaged, newer, foreign files and kinds we do not have
 * are refused with their reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdbFileTest {

    @TempDir
    static Path dir;

    private Path redisDump;
    private Map<String, DatasetView.Entry> redisData;

    @BeforeAll
    void redisWritesTheCorpus() throws Exception {
        try (RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            RdbCorpus.fill(jedis);
            Set<String> encodings = new TreeSet<>();
            for (int db : RdbCorpus.DATABASES) {
                jedis.select(db);
                for (String key : jedis.keys("*")) {
                    encodings.add(jedis.objectEncoding(key));
                }
            }
            assertEquals(Set.of("embstr", "hashtable", "int", "intset", "listpack", "quicklist", "raw", "skiplist"), encodings,
                    "the corpus holds every encoding of Redis 7.0 for strings, lists, hashes, sets and sorted sets");
            assertEquals("OK", jedis.save());
            redisData = DatasetView.of(jedis, 16);
        }
        redisDump = dir.resolve("redis/dump.rdb");
    }

    @Test
    void readsWhatRedisWroteKeyByKey() throws Exception {
        String raw = new String(Files.readAllBytes(redisDump), StandardCharsets.ISO_8859_1);
        assertTrue(!raw.contains("abcabcabc".repeat(100)), "redis-server compressed the compressible strings (LZF)");
        assertSameData(redisData, DatasetView.of(redisDump));
        RdbReader.Summary summary = RdbReader.read(new ByteArrayInputStream(Files.readAllBytes(redisDump)), (db, k, v, e) -> { });
        assertEquals(10, summary.version());
        assertEquals(redisData.size(), summary.keys());
        assertTrue(summary.checksumVerified());
    }

    /** Our writer's file of what we read: redis-check-rdb accepts it, a fresh redis-server loads the same data. */
    @Test
    void redisLoadsWhatWeWrite() throws Exception {
        Path ours = dir.resolve("ours");
        Files.createDirectories(ours);
        List<Object[]> entries = new ArrayList<>();
        RdbReader.read(Files.newInputStream(redisDump), (db, key, value, expireAt) -> entries.add(new Object[] {db, key, value, expireAt}));
        try (OutputStream out = Files.newOutputStream(ours.resolve("dump.rdb"))) {
            RdbWriter w = new RdbWriter(out).header().aux("redis-ver", "7.0.15").aux("redis-bits", "64");
            int current = -1;
            for (Object[] e : entries) {
                int db = (Integer) e[0];
                if (db != current) {
                    current = db;
                    long keys = entries.stream().filter(x -> (Integer) x[0] == db).count();
                    long expires = entries.stream().filter(x -> (Integer) x[0] == db && (Long) x[3] >= 0).count();
                    w.selectDb(db, keys, expires);
                }
                w.entry((byte[]) e[1], (RdbValue) e[2], (Long) e[3]);
            }
            w.finish();
        }
        assertEquals(redisData, DatasetView.of(ours.resolve("dump.rdb")), "our reader reads our file back");
        checkRdb(ours.resolve("dump.rdb"));
        assertSameData(redisData, loadedByRedis(ours));
    }

    /** {@return the data a fresh redis-server answers after loading {@code dir}/dump.rdb} */
    static Map<String, DatasetView.Entry> loadedByRedis(Path dir) throws Exception {
        try (RedisPeer redis = RedisPeer.start(dir);
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            return DatasetView.of(jedis, 16);
        }
    }

    /** Runs redis-check-rdb on {@code file}; fails unless it exits 0 saying the file looks OK. */
    static void checkRdb(Path file) throws IOException, InterruptedException {
        Process check = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.contains("RDB looks OK"), output);
    }

    static void assertSameData(Map<String, DatasetView.Entry> expected, Map<String, DatasetView.Entry> actual) {
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        assertTrue(missing.isEmpty() && extra.isEmpty(), "missing keys " + missing + ", extra keys " + extra);
        for (String key : expected.keySet()) {
            assertEquals(expected.get(key), actual.get(key), "key " + key);
        }
    }

    private static String refusal(byte[] file) {
        return assertThrows(RdbException.class, () -> RdbReader.read(new ByteArrayInputStream(file), (db, k, v, e) -> { }))
                .getMessage();
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        byte[] file = Files.readAllBytes(redisDump);
        assertEquals("not an RDB file: it is empty", refusal(new byte[0]));
        assertEquals("truncated: the file ends inside its header", refusal(java.util.Arrays.copyOf(file, 6)));
        assertEquals("truncated: the file ends before its checksum", refusal(java.util.Arrays.copyOf(file, file.length - 3)));
        Set<String> reasons = new HashSet<>();
        for (int cut = 9; cut < file.length - 8; cut += file.length / 97) {
            String reason = refusal(java.util.Arrays.copyOf(file, cut));
            assertTrue(reason.startsWith("truncated: "), "cut at " + cut + ": " + reason);
            reasons.add(reason);
        }
        assertTrue(reasons.size() > 50, "each cut is reported where it is: " + reasons.size());
    }

    @Test
    void corruptChecksumIsRefused() throws Exception {
        byte[] file = Files.readAllBytes(redisDump);
        byte[] badSum = file.clone();
        badSum[badSum.length - 1] ^= 1;
        assertTrue(refusal(badSum).startsWith("corrupt: checksum mismatch (the file says "), refusal(badSum));
        byte[] badData = file.clone();
        int at = new String(file, StandardCharsets.ISO_8859_1).indexOf(RdbCorpus.random(3000, 0).substring(0, 40));
        assertTrue(at > 0);
        badData[at + 100] ^= 0x20; // inside a raw string: the structure still parses, the checksum does not
        assertTrue(refusal(badData).startsWith("corrupt: checksum mismatch"), refusal(badData));
    }

    @Test
    void newerVersionsAndForeignFilesAreRefused() throws Exception {
        byte[] file = Files.readAllBytes(redisDump);
        byte[] newer = file.clone();
        System.arraycopy("REDIS0011".getBytes(StandardCharsets.US_ASCII), 0, newer, 0, 9);
        assertEquals("RDB version 11 is newer than this server reads (10, Redis 7.0's): the file was written by a later Redis",
                refusal(newer));
        assertEquals("not an RDB file: it does not start with 'REDIS'", refusal("PK\3\4 a zip file, say".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("not an RDB file: 'REDISxyzw' has no version number", refusal("REDISxyzw\377".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void streamsFunctionsAndModulesAreRefusedByName() throws Exception {
        Path other = dir.resolve("redis-other");
        try (RedisPeer redis = RedisPeer.start(other);
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            jedis.xadd("events", StreamEntryID.NEW_ENTRY, Map.of("a", "1"));
            jedis.save();
            String reason = refusal(Files.readAllBytes(other.resolve("dump.rdb")));
            assertTrue(reason.matches("the key 'events' \\(at byte \\d+\\) holds a stream: jpmem-redis has no streams yet"), reason);
            jedis.del("events");
            jedis.functionLoad("#!lua name=mylib\nredis.register_function('f', function() return 1 end)");
            jedis.save();
            reason = refusal(Files.readAllBytes(other.resolve("dump.rdb")));
            assertTrue(reason.startsWith("the file holds a function library (at byte "), reason);
        }
        // a module value, as a module-type id spells its name (9 characters of 6 bits, then a 10-bit version)
        String charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char c : "ReJSON-RL".toCharArray()) {
            id = (id << 6) | charset.indexOf(c);
        }
        id = (id << 10) | 3;
        java.io.ByteArrayOutputStream module = new java.io.ByteArrayOutputStream();
        module.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        module.write(7); // MODULE_2
        module.write(1);
        module.write('k');
        module.write(0x81); // a 64-bit length: the module id
        for (int i = 7; i >= 0; i--) {
            module.write((int) (id >>> (8 * i)));
        }
        assertEquals("the key 'k' (at byte 9) holds a module value (module ReJSON-RL): jpmem-redis has no modules",
                refusal(module.toByteArray()));
    }
}

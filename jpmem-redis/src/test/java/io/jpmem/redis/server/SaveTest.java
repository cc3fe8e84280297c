package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * SAVE, BGSAVE and LASTSAVE: the file is one redis-check-rdb accepts and a fresh redis-server loads
 * with the same data; a BGSAVE's file is the dataset as it was when the save started, although
 * every kind of write changed it meanwhile (and the writes were served while it ran); INFO
 * persistence tells the truth; a save that cannot be written says so.
 */
class SaveTest {

    @TempDir
    Path dir;

    private static String info(Jedis jedis, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":([^\r\n]*)").matcher(jedis.info("persistence"));
        assertTrue(m.find(), field);
        return m.group(1);
    }

    private static void awaitBackgroundSave(Jedis jedis) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (info(jedis, "rdb_bgsave_in_progress").equals("1")) {
            assertTrue(System.nanoTime() < deadline, "BGSAVE did not end in 60 s");
            Thread.sleep(5);
        }
    }

    @Test
    void saveWritesAFileRedisServerLoads() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 100);
             Jedis jedis = new Jedis("127.0.0.1", ours.loop.port())) {
            long before = System.currentTimeMillis() / 1000;
            RdbCorpus.fill(jedis);
            assertTrue(Long.parseLong(info(jedis, "rdb_changes_since_last_save")) > 100);
            assertEquals("OK", jedis.save());
            assertTrue(jedis.lastsave() >= before);
            assertEquals("0", info(jedis, "rdb_changes_since_last_save"));
            assertEquals("1", info(jedis, "rdb_saves"));
            Path file = dir.resolve("ours/dump.rdb");
            assertTrue(Files.exists(file));
            assertFalse(Files.list(dir.resolve("ours")).anyMatch(p -> p.getFileName().toString().startsWith("temp-")),
                    "no temporary file is left");
            RdbFileTest.checkRdb(file);
            Map<String, DatasetView.Entry> expected = DatasetView.of(jedis, 16);
            assertTrue(expected.size() > 60);
            Path redisDir = dir.resolve("redis");
            Files.createDirectories(redisDir);
            Files.copy(file, redisDir.resolve("dump.rdb"));
            RdbFileTest.assertSameData(expected, RdbFileTest.loadedByRedis(redisDir));
            jedis.set("after", "1");
            assertEquals("1", info(jedis, "rdb_changes_since_last_save"));
        }
    }

    @Test
    void bgsaveWritesTheDatasetOfItsStartWhileWritesGoOn() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 100, 256L << 20, dir.resolve("ours"));
             Jedis jedis = new Jedis("127.0.0.1", ours.loop.port())) {
            RdbCorpus.fill(jedis);
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < 200_000; i++) {
                fill.set("key:" + i, "value-" + i);
            }
            for (int i = 0; i < 1000; i++) {
                fill.rpush("list:" + (i % 10), "e" + i);
                fill.hset("hash:" + (i % 10), "f" + i, "v" + i);
            }
            fill.sync();
            Map<String, DatasetView.Entry> atStart = DatasetView.of(jedis, 16);

            List<String[]> writes = new java.util.ArrayList<>();
            writes.add(new String[] {"BGSAVE"});
            for (int i = 0; i < 200_000; i += 7) { // overwrite, delete, grow, create, expire, rename: all after T0
                writes.add(switch (i % 5) {
                    case 0 -> new String[] {"SET", "key:" + i, "changed"};
                    case 1 -> new String[] {"DEL", "key:" + i};
                    case 2 -> new String[] {"APPEND", "key:" + i, "+"};
                    case 3 -> new String[] {"PEXPIRE", "key:" + i, "1000000"};
                    default -> new String[] {"RENAME", "key:" + i, "renamed:" + i};
                });
                writes.add(new String[] {"SET", "new:" + i, "x"});
            }
            writes.add(new String[] {"RPUSH", "list:3", "late"});
            writes.add(new String[] {"HSET", "hash:4", "late", "1"});
            writes.add(new String[] {"SADD", "db0:set:large", "late"});
            writes.add(new String[] {"ZADD", "db0:z:large", "7", "late"});
            writes.add(new String[] {"MULTI"});
            writes.add(new String[] {"INCR", "db0:s:int"});
            writes.add(new String[] {"LPOP", "db0:l:large"});
            writes.add(new String[] {"EXEC"});
            writes.add(new String[] {"INFO", "persistence"});
            List<String> replies = new java.util.ArrayList<>();
            try (TestServer.Client c = ours.client()) {
                StringBuilder pipeline = new StringBuilder();
                writes.forEach(w -> pipeline.append(TestServer.request(w)));
                c.send(pipeline.toString());
                for (int i = 0; i < writes.size(); i++) {
                    replies.add(c.reply());
                }
            }
            assertEquals("+Background saving started\r\n", replies.get(0));
            assertFalse(replies.stream().anyMatch(r -> r.startsWith("-")), "every write succeeded");
            assertTrue(replies.get(replies.size() - 1).contains("rdb_bgsave_in_progress:1"),
                    "the writes ran while the save was in progress (the test proves nothing otherwise)");
            jedis.select(1);
            jedis.flushDB(); // finishes the save at once, before it empties database 1
            jedis.select(0);
            awaitBackgroundSave(jedis);
            assertEquals("ok", info(jedis, "rdb_last_bgsave_status"));
            Path file = dir.resolve("ours/dump.rdb");
            RdbFileTest.assertSameData(atStart, DatasetView.of(file));
            RdbFileTest.checkRdb(file);
        }
    }

    @Test
    void errorsAndInfo() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 100, 64L << 20, dir.resolve("ours"));
             TestServer missing = new TestServer(dir.resolve("other"), Optional.empty(), 100, 16L << 20, dir.resolve("no/such/dir"));
             TestServer.Client c = ours.client();
             TestServer.Client m = missing.client();
             Jedis jedis = new Jedis("127.0.0.1", ours.loop.port())) {
            assertEquals("-ERR syntax error\r\n", c.call("BGSAVE", "NOW"));
            assertEquals("-ERR wrong number of arguments for 'save' command\r\n", c.call("SAVE", "x"));
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < 100_000; i++) {
                fill.set("key:" + i, "value");
            }
            fill.sync();
            c.send(TestServer.request("BGSAVE") + TestServer.request("BGSAVE") + TestServer.request("BGSAVE", "SCHEDULE")
                    + TestServer.request("SAVE"));
            assertEquals("+Background saving started\r\n", c.reply());
            assertEquals("-ERR Background save already in progress\r\n", c.reply());
            assertEquals("-ERR Background save already in progress\r\n", c.reply());
            assertEquals("-ERR Background save already in progress\r\n", c.reply());
            awaitBackgroundSave(jedis);
            assertEquals("ok", info(jedis, "rdb_last_bgsave_status"));
            assertEquals("1", info(jedis, "rdb_saves"));
            assertEquals("-ERR\r\n", m.call("SAVE"));
            assertEquals("+Background saving started\r\n", m.call("BGSAVE"));
            try (Jedis other = new Jedis("127.0.0.1", missing.loop.port())) {
                awaitBackgroundSave(other);
                assertEquals("err", info(other, "rdb_last_bgsave_status"));
                assertEquals("0", info(other, "rdb_saves"));
            }
        }
    }
}

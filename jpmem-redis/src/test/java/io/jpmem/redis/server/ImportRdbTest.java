package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code --import-rdb}: a new heap filled from redis-server's dump.rdb serves the same data key by
 * key; a heap that holds data refuses; a damaged file is refused with its reason and leaves the
 * heap empty (one transaction: nothing of a refused or interrupted import is ever visible).
 */
class ImportRdbTest {

    @TempDir
    Path dir;

    private Path redisDump(Map<String, DatasetView.Entry>[] data) throws Exception {
        try (RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            RdbCorpus.fill(jedis);
            jedis.set("gone", "x");
            jedis.pexpire("gone", 1); // expired before the import: skipped, as a master loading the file skips it
            Thread.sleep(5);
            jedis.save();
            jedis.del("gone");
            data[0] = DatasetView.of(jedis, 16);
        }
        return dir.resolve("redis/dump.rdb");
    }

    /** Imports {@code file} into the heap of {@code heapDir} as the server's start does. */
    private static void importInto(Path heapDir, Path file) throws Exception {
        ServerOptions options = ((ServerCommandLine.Serve) ServerCommandLine.parse("--heap", heapDir.resolve("redis.heap").toString(),
                "--import-rdb", file.toString())).options();
        Files.createDirectories(heapDir);
        try (PersistentHeap heap = PersistentHeap.openOrCreate(options.heap(), HeapOptions.defaults()
                .withDurability(Durability.PROCESS).withMaxByteSize(64L << 20))) {
            RedisServer.importRdb(options, heap);
        }
    }

    @Test
    void aNewHeapServesWhatTheFileHolds() throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, DatasetView.Entry>[] data = new Map[1];
        Path file = redisDump(data);
        importInto(dir.resolve("ours"), file);
        try (TestServer ours = new TestServer(dir.resolve("ours"), Optional.empty(), 10);
             Jedis jedis = new Jedis("127.0.0.1", ours.loop.port())) {
            RdbFileTest.assertSameData(data[0], DatasetView.of(jedis, 16));
        }
    }

    @Test
    void refusedOnAHeapWithDataAndForADamagedFile() throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, DatasetView.Entry>[] data = new Map[1];
        Path file = redisDump(data);
        try (TestServer ours = new TestServer(dir.resolve("full"), Optional.empty(), 10);
             TestServer.Client c = ours.client()) {
            c.call("SELECT", "3");
            c.call("SET", "k", "v");
        }
        String reason = assertThrows(IOException.class, () -> importInto(dir.resolve("full"), file)).getMessage();
        assertEquals("--import-rdb " + file + ": the heap already holds data (database 3 has 1 keys): an RDB file is"
                + " imported into a new heap only; nothing was imported", reason);

        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.rdb");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 3 / 4));
        reason = assertThrows(IOException.class, () -> importInto(dir.resolve("empty"), cut)).getMessage();
        assertTrue(reason.startsWith("--import-rdb " + cut + ": truncated: ") && reason.endsWith("; nothing was imported"), reason);
        try (TestServer ours = new TestServer(dir.resolve("empty"), Optional.empty(), 10);
             Jedis jedis = new Jedis("127.0.0.1", ours.loop.port())) {
            assertEquals(Map.of(), DatasetView.of(jedis, 16), "the keys read before the damage were rolled back");
        }
        Path missing = dir.resolve("nope.rdb");
        assertEquals("--import-rdb " + missing + ": no such file",
                assertThrows(IOException.class, () -> importInto(dir.resolve("empty"), missing)).getMessage());
    }
}

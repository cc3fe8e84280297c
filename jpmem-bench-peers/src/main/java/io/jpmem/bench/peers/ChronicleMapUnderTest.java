package io.jpmem.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * Chronicle Map (an off-heap hash map in a memory-mapped file), {@code ChronicleMap<String, byte[]>}
 * persisted to a file, sized for the keys up front, with constant key and value sizes (all keys are 16
 * characters, all values 64 bytes).
 * <ul>
 * <li>PROCESS: as is. A put writes the entry into the shared mapping (the page cache) before it
 *     returns, so it survives a process crash (a lock left held by the dead process is recovered
 *     when the map is reopened; Chronicle documents {@code recoverPersistedTo} for that).</li>
 * <li>POWER: Chronicle Map has no per-operation sync. Here each put is followed by
 *     {@code FileChannel.force(false)} (fdatasync) of the map's file, which writes back the pages the
 *     put dirtied through the mapping. That makes the new value durable when put returns, but it is
 *     this benchmark's addition, not a Chronicle feature: Chronicle does not claim that a power failure
 *     in the middle of a put leaves a consistent entry (it has no log), so the level is marked POWER*.</li>
 * </ul>
 * get returns a new byte[] (deserialized from the mapping).
 */
public final class ChronicleMapUnderTest implements DurableMapUnderTest {

    private ChronicleMap<String, byte[]> map;
    private FileChannel channel;
    private MapDurability durability;

    @Override
    public String name() {
        return "ChronicleMap";
    }

    @Override
    public void open(Path directory, MapDurability durability, int expectedEntries) throws IOException {
        this.durability = durability;
        Path file = directory.resolve("map.cm3");
        map = ChronicleMapBuilder.of(String.class, byte[].class)
                .name("jpmem-bench-peers")
                .entries(expectedEntries)
                .constantKeySizeBySample("key:000000000000")
                .constantValueSizeBySample(new byte[64])
                .createPersistedTo(file.toFile());
        if (durability == MapDurability.POWER) {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    @Override
    public String settings() {
        return "Chronicle Map " + PeerVersions.get("chronicle-map") + ": persisted to a mapped file, "
                + (durability == MapDurability.POWER
                ? "plus fdatasync of the file after each put (POWER*: not a Chronicle feature, no crash-atomic entry)"
                : "as is (entry in the shared mapping when put returns): process-crash durable");
    }

    @Override
    public void load(String[] keys, byte[][] keyBytes, byte[][] values) throws IOException {
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], values[i]);
        }
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public void put(String key, byte[] keyBytes, byte[] value) {
        map.put(key, value);
        if (channel != null) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public byte[] get(String key, byte[] keyBytes) {
        return map.get(key);
    }

    @Override
    public long iterate() {
        long[] sum = {0};
        map.forEachEntry(e -> sum[0] += e.key().size() + e.value().bytes().readByte(e.value().offset()));
        return sum[0];
    }

    @Override
    public void close() throws IOException {
        if (map != null) {
            map.close();
            map = null;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}

package io.jpmem.bench.peers;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The volatile baseline: a plain {@code java.util.HashMap<String, byte[]>}, sized for the keys up
 * front. Not durable at any level; the durability parameter is ignored (the comparison script runs it
 * once, labelled "volatile"). Values are stored by reference, as a HashMap user would.
 */
public final class HashMapUnderTest implements DurableMapUnderTest {

    private Map<String, byte[]> map;

    @Override
    public String name() {
        return "HashMap";
    }

    @Override
    public void open(Path directory, MapDurability durability, int expectedEntries) {
        map = new HashMap<>(expectedEntries * 4 / 3 + 1);
    }

    @Override
    public String settings() {
        return "java.util.HashMap: volatile (nothing survives the process), values by reference";
    }

    @Override
    public void put(String key, byte[] keyBytes, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] get(String key, byte[] keyBytes) {
        return map.get(key);
    }

    @Override
    public long iterate() {
        long sum = 0;
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            sum += e.getKey().length() + e.getValue()[0];
        }
        return sum;
    }

    @Override
    public void close() {
        map = null;
    }
}

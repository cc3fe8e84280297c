package io.jpmem.redis.server;

import io.jpmem.redis.rdb.RdbException;
import io.jpmem.redis.rdb.RdbReader;
import io.jpmem.redis.rdb.RdbValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * A dataset in a form two sources can be compared in, key by key: what a server answers (TYPE,
 * GET, LRANGE, SMEMBERS, HGETALL, ZRANGE WITHSCORES, PEXPIRETIME per key of each database) or what
 * an RDB file holds as our reader reads it. Bytes are kept exact (ISO-8859-1 text); sets and hashes
 * sorted, sorted sets in (score, member) order.
 */
final class DatasetView {

    /** One key's value: its type, its elements in a canonical order, its expiry (-1 none). */
    record Entry(String type, List<String> items, long expireAt) {}

    private DatasetView() {}

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String key(int db, byte[] key) {
        return db + "/" + text(key);
    }

    /** {@return the dataset of the server {@code jedis} talks to, databases 0..databases-1} */
    static Map<String, Entry> of(Jedis jedis, int databases) {
        Map<String, Entry> out = new TreeMap<>();
        for (int db = 0; db < databases; db++) {
            jedis.select(db);
            for (byte[] key : jedis.keys("*".getBytes(StandardCharsets.US_ASCII))) {
                String type = jedis.type(key);
                List<String> items = new ArrayList<>();
                switch (type) {
                    case "string" -> items.add(text(jedis.get(key)));
                    case "list" -> jedis.lrange(key, 0, -1).forEach(e -> items.add(text(e)));
                    case "set" -> jedis.smembers(key).forEach(e -> items.add(text(e)));
                    case "hash" -> jedis.hgetAll(key).forEach((f, v) -> items.add(text(f) + "=" + text(v)));
                    case "zset" -> {
                        List<Tuple> tuples = new ArrayList<>(jedis.zrangeWithScores(key, 0, -1));
                        tuples.sort(Comparator.comparingDouble(Tuple::getScore).thenComparing(t -> text(t.getBinaryElement())));
                        tuples.forEach(t -> items.add(text(t.getBinaryElement()) + "@" + t.getScore()));
                    }
                    default -> throw new IllegalStateException("type " + type);
                }
                if (type.equals("set") || type.equals("hash")) {
                    items.sort(null);
                }
                out.put(key(db, key), new Entry(type, items, jedis.pexpireTime(key)));
            }
        }
        jedis.select(0);
        return out;
    }

    /** {@return the dataset of an RDB file, as our reader reads it} */
    static Map<String, Entry> of(Path rdb) throws IOException, RdbException {
        Map<String, Entry> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(rdb)) {
            RdbReader.read(in, (db, key, value, expireAt) -> out.put(key(db, key), entry(value, expireAt)));
        }
        return out;
    }

    static Entry entry(RdbValue value, long expireAt) {
        List<String> items = new ArrayList<>();
        String type = switch (value) {
            case RdbValue.Str s -> {
                items.add(text(s.value()));
                yield "string";
            }
            case RdbValue.ListOf l -> {
                l.elements().forEach(e -> items.add(text(e)));
                yield "list";
            }
            case RdbValue.SetOf s -> {
                s.members().forEach(e -> items.add(text(e)));
                items.sort(null);
                yield "set";
            }
            case RdbValue.HashOf h -> {
                h.fields().forEach(f -> items.add(text(f.name()) + "=" + text(f.value())));
                items.sort(null);
                yield "hash";
            }
            case RdbValue.SortedSetOf z -> {
                List<RdbValue.Scored> members = new ArrayList<>(z.members());
                members.sort(Comparator.comparingDouble(RdbValue.Scored::score).thenComparing(m -> text(m.member())));
                members.forEach(m -> items.add(text(m.member()) + "@" + m.score()));
                yield "zset";
            }
        };
        return new Entry(type, items, expireAt);
    }
}

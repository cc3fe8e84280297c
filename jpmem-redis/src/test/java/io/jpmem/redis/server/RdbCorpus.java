package io.jpmem.redis.server;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * A dataset with every encoding Redis 7.0 uses for the types jpmem-redis has, small and large (so
 * both the compact and the full encodings appear), spread over several databases, with expiries:
 * strings raw, int, embstr, long and compressible (LZF in a file), binary; lists as quicklists of one
 * and of many listpack nodes; hashes as listpack and hashtable (by count and by value length); sets
 * as intset and hashtable; sorted sets as listpack and skiplist, with fractional, negative and
 * infinite scores. Filled through any server's client, so the same data can go to redis-server and
 * to jpmem-redis.
 */
final class RdbCorpus {

    private RdbCorpus() {}

    /** The databases it uses. */
    static final int[] DATABASES = {0, 1, 5};

    static void fill(Jedis jedis) {
        long farFuture = System.currentTimeMillis() + 3_600_000;
        for (int db : DATABASES) {
            jedis.select(db);
            Pipeline p = jedis.pipelined();
            String d = "db" + db + ":";
            p.set(d + "s:raw", "hello world");
            p.set(d + "s:int", "12345");
            p.set(d + "s:negative", "-7");
            p.set(d + "s:int16", "-30000");
            p.set(d + "s:int32", "2000000000");
            p.set(d + "s:int64", "1099511627776");
            p.set(d + "s:leading-zero", "007");
            p.set(d + "s:empty", "");
            p.set(d + "s:compressible", "abcabcabc".repeat(500));
            p.set(d + "s:incompressible", random(3000, db));
            p.set((d + "s:binary").getBytes(StandardCharsets.UTF_8), new byte[] {0, (byte) 0xff, 13, 10, (byte) 0x80});
            p.set(d + "s:expiring", "soon");
            p.pexpireAt(d + "s:expiring", farFuture);
            p.rpush(d + "l:small", "a", "1", "-2", "300000", "b".repeat(70));
            for (int i = 0; i < 3000; i++) {
                p.rpush(d + "l:large", i % 3 == 0 ? Integer.toString(i) : "element-" + i + "-" + "x".repeat(i % 50));
            }
            p.rpush(d + "l:compressible", "abcabcabcabcabcabcabc".repeat(30), "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz".repeat(10));
            p.pexpireAt(d + "l:large", farFuture + 1);
            p.hset(d + "h:small", Map.of("f1", "v1", "f2", "2", "n", "-99"));
            Map<String, String> big = new HashMap<>();
            for (int i = 0; i < 700; i++) {
                big.put("field" + i, i % 2 == 0 ? Integer.toString(i * 7) : "value" + i);
            }
            p.hset(d + "h:large", big);
            p.hset(d + "h:longvalue", Map.of("k", "v".repeat(100), "j", "short"));
            p.pexpireAt(d + "h:small", farFuture + 2);
            p.sadd(d + "set:intset", "1", "2", "3", "-4", "70000", "5000000000");
            p.sadd(d + "set:strings", "a", "b", "c");
            for (int i = 0; i < 1000; i++) {
                p.sadd(d + "set:large-ints", Integer.toString(i * 13));
                p.sadd(d + "set:large", "member" + i);
            }
            p.zadd(d + "z:small", Map.of("a", 1.5, "b", -2.0, "c", 3.0, "inf", Double.POSITIVE_INFINITY, "ninf", Double.NEGATIVE_INFINITY));
            Map<String, Double> scores = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                scores.put("m" + i, i / 3.0 - 50);
            }
            scores.put("top", Double.POSITIVE_INFINITY);
            p.zadd(d + "z:large", scores);
            p.zadd(d + "z:longmember", Map.of("x".repeat(100), 0.1, "y", 0.2));
            p.pexpireAt(d + "z:large", farFuture + 3);
            p.sync();
        }
        jedis.select(0);
    }

    /** {@return {@code length} pseudo-random letters (incompressible enough that LZF gives up)} */
    static String random(int length, long seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (33 + r.nextInt(90)));
        }
        return out.toString();
    }
}

package io.jpmem.redis.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded differential fuzzer over script shapes: scripts built from random redis.call/pcall
 * statements (writes, reads, commands that fail with WRONGTYPE or bad arguments), local
 * variables, conditionals, loops, and a random return shape (a reply, a table of replies, numbers
 * with fractions, booleans, status and error tables, an error raised midway), run with EVAL and
 * EVALSHA on jpmem-redis and redis-server: every reply must be equal, and so must the dataset after
 * each script (a failing script keeps its writes in both). The seed is printed;
 * {@code -Djpmem.scriptFuzzSeed=N} replays one run, {@code -Djpmem.scriptFuzzCount=N} sets its size.
 */
class ScriptFuzzTest {

    @TempDir
    Path dir;

    private static final String[] KEYS = {"KEYS[1]", "KEYS[2]", "'s'", "'l'", "'h'"};

    private static String key(SplittableRandom r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static String value(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> "ARGV[1]";
            case 1 -> Integer.toString(r.nextInt(-5, 100));
            case 2 -> "'v" + r.nextInt(10) + "'";
            case 3 -> r.nextInt(-50, 50) / 4.0 + "";
            case 4 -> "'" + r.nextInt(1000) + "'";
            default -> "ARGV[2]";
        };
    }

    private static String call(SplittableRandom r) {
        String k = key(r);
        String v = value(r);
        String fn = r.nextInt(4) == 0 ? "redis.pcall" : "redis.call";
        String command = switch (r.nextInt(16)) {
            case 0 -> "'set', " + k + ", " + v;
            case 1 -> "'get', " + k;
            case 2 -> "'incr', " + k;
            case 3 -> "'incrby', " + k + ", " + v;
            case 4 -> "'rpush', " + k + ", " + v + ", " + value(r);
            case 5 -> "'lrange', " + k + ", 0, -1";
            case 6 -> "'hset', " + k + ", 'f', " + v;
            case 7 -> "'hget', " + k + ", 'f'";
            case 8 -> "'del', " + k;
            case 9 -> "'exists', " + k + ", " + key(r);
            case 10 -> "'zadd', " + k + ", " + r.nextInt(10) + ", " + v;
            case 11 -> "'zscore', " + k + ", " + v;
            case 12 -> "'sadd', " + k + ", " + v;
            case 13 -> "'scard', " + k;
            case 14 -> "'type', " + k;
            default -> "'lpop', " + k;
        };
        return fn + "(" + command + ")";
    }

    private static String script(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        int statements = r.nextInt(1, 6);
        for (int i = 0; i < statements; i++) {
            switch (r.nextInt(5)) {
                case 0 -> s.append("local x").append(i).append(" = ").append(call(r)).append('\n');
                case 1 -> s.append("if ").append(call(r)).append(" then ").append(call(r)).append(" end\n");
                case 2 -> s.append("for i = 1, ").append(r.nextInt(1, 4)).append(" do ").append(call(r)).append(" end\n");
                case 3 -> s.append("if type(").append(call(r)).append(") == 'table' then redis.call('set', 'seen', 'table') end\n");
                default -> s.append(call(r)).append('\n');
            }
        }
        switch (r.nextInt(10)) {
            case 0 -> s.append("return {").append(call(r)).append(", ").append(call(r)).append(", ").append(value(r)).append("}");
            case 1 -> s.append("return ").append(value(r));
            case 2 -> s.append("return ").append(r.nextBoolean());
            case 3 -> s.append("return redis.status_reply('S").append(r.nextInt(9)).append("')");
            case 4 -> s.append("return redis.error_reply('E").append(r.nextInt(9)).append(" bad')");
            case 5 -> s.append("error('failed ").append(r.nextInt(9)).append("')");
            case 6 -> s.append("return {").append(value(r)).append(", nil, ").append(value(r)).append("}");
            case 7 -> s.append("return type(").append(call(r)).append(")");
            default -> s.append("return ").append(call(r));
        }
        return s.toString();
    }

    private static String sha1(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void randomScriptsReplyAsRedis() throws Exception {
        long seed = Long.getLong("jpmem.scriptFuzzSeed", System.nanoTime());
        int count = Integer.getInteger("jpmem.scriptFuzzCount", 300);
        System.out.println("ScriptFuzzTest seed=" + seed + " count=" + count);
        SplittableRandom r = new SplittableRandom(seed);
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = script(r);
            List<String> keysAndArgs = List.of("2", "k" + r.nextInt(3), "k" + r.nextInt(3), Integer.toString(r.nextInt(20)), "a" + r.nextInt(3));
            List<String> eval = new ArrayList<>(List.of(r.nextInt(3) == 0 ? "EVAL_RO" : "EVAL", body));
            eval.addAll(keysAndArgs);
            commands.add(eval);
            if (r.nextInt(4) == 0) {
                List<String> evalsha = new ArrayList<>(List.of("EVALSHA", sha1(body)));
                evalsha.addAll(keysAndArgs);
                commands.add(evalsha);
            }
            for (String k : new String[] {"k0", "k1", "k2", "s", "l", "h", "seen"}) {
                commands.add(List.of("TYPE", k));
            }
            commands.add(List.of("EVAL", "local out = {} for _, k in ipairs({'k0','k1','k2','s','l','h','seen'}) do"
                    + " local t = redis.call('type', k).ok"
                    + " if t == 'string' then out[#out+1] = redis.call('get', k)"
                    + " elseif t == 'list' then out[#out+1] = table.concat(redis.call('lrange', k, 0, -1), ',')"
                    + " elseif t == 'hash' then out[#out+1] = tostring(redis.call('hget', k, 'f'))"
                    + " elseif t == 'zset' then out[#out+1] = tostring(redis.call('zcard', k))"
                    + " elseif t == 'set' then out[#out+1] = tostring(redis.call('scard', k))"
                    + " else out[#out+1] = t end end return out", "0"));
        }
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
                TestServer.Client a = ours.client();
                TestServer.Client b = redis.client()) {
            Differential.assertSame("script fuzz seed=" + seed, a, b, commands);
        }
    }
}

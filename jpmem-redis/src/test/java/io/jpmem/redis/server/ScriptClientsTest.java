package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Scripts as applications send them (Jedis's SCRIPT LOAD + EVALSHA, redis-cli --eval), and scripts
 * that go wrong — an error, a forbidden function, a loop — each answered with Redis's error while
 * the server goes on serving.
 */
class ScriptClientsTest {

    @TempDir
    Path dir;

    @Test
    void jedisLoadsAScriptAndRunsItBySha() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
                Jedis jedis = new Jedis("127.0.0.1", server.loop.port())) {
            String sha = jedis.scriptLoad("redis.call('rpush', KEYS[1], ARGV[1], ARGV[2]) return redis.call('lrange', KEYS[1], 0, -1)");
            assertEquals(40, sha.length());
            assertEquals(List.of(true, false), jedis.scriptExists(sha, "ffffffffffffffffffffffffffffffffffffffff"));
            assertEquals(List.of("a", "b"), jedis.evalsha(sha, List.of("l"), List.of("a", "b")));
            assertEquals(List.of("a", "b", "c", "d"), jedis.evalsha(sha, List.of("l"), List.of("c", "d")));
            assertEquals(4L, jedis.llen("l"));
            assertEquals(7L, jedis.eval("return tonumber(ARGV[1]) + 3", List.of(), List.of("4")));
            assertEquals("OK", jedis.scriptFlush());
            assertEquals(false, jedis.scriptExists(sha));
        }
    }

    @Test
    void redisCliEvalRunsAScriptFile() throws Exception {
        try (TestServer server = new TestServer(dir.resolve("heap"), Optional.empty(), 16)) {
            Path script = dir.resolve("script.lua");
            Files.writeString(script, "redis.call('set', KEYS[1], ARGV[1])\nredis.call('set', KEYS[2], ARGV[2])\n"
                    + "return {redis.call('get', KEYS[1]), redis.call('get', KEYS[2]), #KEYS, #ARGV}\n");
            Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.loop.port()), "--eval",
                    script.toString(), "k1", "k2", ",", "v1", "v2").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertEquals("v1\nv2\n2\n2\n", out);
        }
    }

    @Test
    void badScriptsGetRedisErrorsAndTheServerLives() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 16);
                TestServer.Client c = server.client()) {
            assertEquals("-ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.\r\n",
                    c.call("EVAL", "error('boom')", "0"));
            assertEquals("-ERR user_script:1: Script attempted to access nonexistent global variable 'os'"
                    + " script: " + sha1("return os.execute('true')") + ", on @user_script:1.\r\n",
                    c.call("EVAL", "return os.execute('true')", "0"));
            assertTrue(c.call("EVAL", "return io.open('/etc/passwd')", "0").contains("nonexistent global variable 'io'"));
            assertTrue(c.call("EVAL", "return loadfile('/etc/passwd')", "0").contains("nonexistent global variable 'loadfile'"));
            assertTrue(c.call("EVAL", "return require('os')", "0").contains("nonexistent global variable 'require'"));
            assertTrue(c.call("EVAL", "local function f() return f() + 1 end return f()", "0").startsWith("-ERR "));
            assertEquals("+PONG\r\n", c.call("PING"));

            // A loop that wrote nothing is stopped past busy-reply-threshold (5 s), with SCRIPT KILL's error.
            assertEquals("*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n5000\r\n", c.call("CONFIG", "GET", "busy-reply-threshold"));
            assertTrue(c.call("CONFIG", "SET", "lua-time-limit", "100").contains("a script's time limit is fixed"));
            String loop = "local i = 0 while true do i = i + 1 end";
            assertEquals("-ERR Script killed by user with SCRIPT KILL... script: " + sha1(loop) + ", on @user_script:1.\r\n",
                    c.call("EVAL", loop, "0"));
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n", c.call("SCRIPT", "KILL"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    private static String sha1(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

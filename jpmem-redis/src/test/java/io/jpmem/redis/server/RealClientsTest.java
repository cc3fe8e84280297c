package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.resps.Tuple;

/** The server driven the way applications drive Redis: Jedis (Maven Central) and Debian's redis-cli. */
class RealClientsTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("deprecation") // ZREVRANGE is deprecated in Redis too, and still served
    void jedisCommandsPipelinesAndTransactions() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100);
             Jedis jedis = new Jedis("127.0.0.1", server.loop.port())) {
            assertEquals("PONG", jedis.ping());
            assertEquals("OK", jedis.set("greeting", "héllo"));
            assertEquals("héllo", jedis.get("greeting"));
            assertEquals(5, jedis.incrBy("n", 5));
            assertEquals(3, jedis.rpush("list", "a", "b", "c"));
            assertEquals(List.of("b", "c"), jedis.lrange("list", 1, -1));
            jedis.hset("user", Map.of("name", "ada", "lang", "java"));
            assertEquals(Map.of("name", "ada", "lang", "java"), jedis.hgetAll("user"));
            jedis.sadd("tags", "x", "y");
            assertEquals(Set.of("x", "y"), jedis.smembers("tags"));
            jedis.zadd("board", Map.of("p1", 10.0, "p2", 30.0, "p3", 20.0));
            assertEquals(List.of(new Tuple("p2", 30.0), new Tuple("p3", 20.0)), jedis.zrevrangeWithScores("board", 0, 1));
            assertEquals(1, jedis.expire("greeting", 100));
            assertTrue(jedis.ttl("greeting") > 90);
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 1000; i++) {
                pipeline.set("k" + i, "v" + i);
            }
            pipeline.sync();
            assertEquals("v999", jedis.get("k999"));
            Transaction tx = jedis.multi();
            tx.incr("n");
            tx.lpush("list", "z");
            List<Object> results = tx.exec();
            assertEquals(List.of(6L, 4L), results);
            assertEquals(1006, jedis.dbSize()); // greeting, n, list, user, tags, board and the 1000 pipelined keys
        }
    }

    private static String redisCli(int port, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void debiansRedisCli() throws Exception {
        try (TestServer server = new TestServer(dir, Optional.empty(), 100)) {
            int port = server.loop.port();
            assertEquals("PONG\n", redisCli(port, "PING"));
            assertEquals("OK\n", redisCli(port, "SET", "k", "v"));
            assertEquals("v\n", redisCli(port, "GET", "k"));
            assertEquals("3\n", redisCli(port, "RPUSH", "l", "1", "2", "3"));
            assertEquals("1\n2\n3\n", redisCli(port, "LRANGE", "l", "0", "-1"));
            assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value\n",
                    redisCli(port, "--no-raw", "GET", "l"));
            assertTrue(redisCli(port, "INFO", "server").contains("redis_version:7.0.15"));
        }
    }
}

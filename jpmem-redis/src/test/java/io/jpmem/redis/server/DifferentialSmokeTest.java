package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The differential harness against a live redis-server: equal scripts agree, and a real difference is caught. */
class DifferentialSmokeTest {

    @TempDir
    Path dir;

    @Test
    void stringListHashAndErrorRepliesEqualRedis() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
                TestServer.Client a = ours.client();
                TestServer.Client b = redis.client()) {
            Differential.assertSame("basic commands", a, b, Differential.script(
                    "SET k v", "GET k", "APPEND k tail", "STRLEN k", "INCR n", "INCRBY n 41", "INCR k",
                    "RPUSH l a b c", "LRANGE l 0 -1", "LPOP l", "HSET h f 1 g 2", "HGETALL h",
                    "SADD s x", "TYPE s", "DEL k l h s n", "EXISTS k", "GET", "NOSUCHCOMMAND"));
        }
    }

    @Test
    void aDifferingReplyIsReported() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
                TestServer.Client a = ours.client();
                TestServer.Client b = redis.client()) {
            a.call("SET", "only-here", "1");
            List<Differential.Difference> differences = Differential.run(a, b, Differential.script("GET only-here"));
            assertFalse(differences.isEmpty());
            assertEquals("$1\r\n1\r\n", differences.getFirst().ours());
            assertEquals("$-1\r\n", differences.getFirst().theirs());
        }
    }

    @Test
    void setrangeAtAnOffsetThatOverflowsASizeAnswersAsRedis() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
                TestServer.Client a = ours.client();
                TestServer.Client b = redis.client()) {
            Differential.assertSame("SETRANGE offsets", a, b, Differential.script(
                    "SETRANGE k 9223372036854775807 x", "SETRANGE k 9223372036854775806 xy", "SETRANGE k 536870911 xx",
                    "SETRANGE k -1 x", "SETRANGE k 2 x", "GET k", "EXISTS k"));
        }
    }

    @Test
    void getexChecksItsSyntaxThenTheKeyThenTheNumbersAsRedis() throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
                TestServer.Client a = ours.client();
                TestServer.Client b = redis.client()) {
            Differential.assertSame("GETEX", a, b, Differential.script(
                    "RPUSH l a", "GETEX l EX abc", "GETEX l FOO", "GETEX missing EX abc", "GETEX missing FOO",
                    "GETEX l EX 10", "GETEX missing EX -1", "GETEX l PERSIST EX 1", "SET s v", "GETEX s EX abc",
                    "GETEX s EX 0", "GETEX s EXAT 99999999999999999", "GETEX s PX 100000", "GETEX s PERSIST",
                    "TTL s", "GETEX s EX", "GETEX s EX 1 PX 1", "GETEX s KEEPTTL", "GETEX s", "GETEX missing"));
        }
    }
}

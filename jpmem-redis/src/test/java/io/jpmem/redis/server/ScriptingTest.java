package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT against redis-server 7.0, reply for reply: the
 * conversions of replies to Lua and back (RESP2 and RESP3, setresp), KEYS/ARGV, the redis library,
 * the sandbox's errors, commands refused from scripts, and the error replies of failing scripts.
 */
class ScriptingTest {

    @TempDir
    Path dir;

    /** {@return EVAL of {@code script} with no keys} */
    static List<String> eval(String script, String... keysThenArgs) {
        List<String> c = new ArrayList<>(List.of("EVAL", script));
        c.addAll(List.of(keysThenArgs));
        if (keysThenArgs.length == 0) {
            c.add("0");
        }
        return c;
    }

    private static List<List<String>> evals(String... scripts) {
        List<List<String>> out = new ArrayList<>();
        for (String s : scripts) {
            out.add(eval(s));
        }
        return out;
    }

    private interface Body {
        void run(TestServer.Client ours, TestServer.Client theirs) throws Exception;
    }

    private void withBoth(Body body) throws Exception {
        try (TestServer ours = new TestServer(dir.resolve("jpmem"), Optional.empty(), 16);
                RedisPeer redis = RedisPeer.start(dir.resolve("redis"));
                TestServer.Client a = ours.client();
                TestServer.Client b = redis.client()) {
            body.run(a, b);
        }
    }

    @Test
    void luaValuesBecomeRepliesAsInRedis() throws Exception {
        withBoth((a, b) -> Differential.assertSame("Lua to reply", a, b, evals(
                "return 1", "return -7", "return 3.99", "return -3.99", "return 1e20", "return -1e20", "return 0/0",
                "return 'text'", "return ''", "return 'a\\0b'", "return true", "return false", "return nil",
                "return {}", "return {1,2,3.7,'x',nil,4}", "return {1,{2,{3,'a'}},{}}", "return {true,false,1}",
                "return {ok='fine'}", "return {err='My Error'}", "return {err='-ERR x'}", "return {ok=1}", "return {err=1}",
                "return redis.status_reply('STATUS')", "return redis.error_reply('ERR custom')", "return redis.error_reply('plain')",
                "return {1, redis.status_reply('S'), redis.error_reply('E')}", "return {double=3.5}", "return {double=0.1}",
                "return {map={a=1}}", "return {set={a=true}}", "return {big_number='123'}", "return print",
                "return redis.sha1hex('')", "return redis.sha1hex('abc')", "return KEYS", "return ARGV")));
    }

    @Test
    void repliesBecomeLuaValuesAsInRedis() throws Exception {
        withBoth((a, b) -> {
            List<List<String>> script = new ArrayList<>(evals(
                    "return redis.call('set','k','v')", "return redis.call('get','k')", "return redis.call('get','nokey')",
                    "return type(redis.call('get','nokey'))", "return redis.call('incr','n')", "return type(redis.call('incr','n'))",
                    "return redis.call('ping')", "return type(redis.call('ping'))", "return redis.call('ping')['ok']",
                    "redis.call('rpush','l','a','b','c') return redis.call('lrange','l',0,-1)",
                    "return redis.call('lrange','nolist',0,-1)", "return redis.call('hgetall','nokey')",
                    "local r = redis.pcall('incr','k') return r['err']", "return redis.pcall('incr','k')",
                    "return redis.pcall('nosuch')", "return redis.call('set','f',0.1)", "return redis.call('get','f')",
                    "return redis.call('set','f',1e20)", "return redis.call('get','f')", "return redis.call('set','f',3)",
                    "return redis.call('get','f')", "return redis.call('set','f',-2.5)", "return redis.call('get','f')",
                    "return redis.call('type','l')", "return redis.call('zadd','z',1.5,'m')", "return redis.call('zscore','z','m')",
                    "redis.setresp(3) return redis.call('zscore','z','m')", "redis.setresp(3) return redis.call('get','nokey')",
                    "redis.setresp(3) return type(redis.call('get','nokey'))",
                    "redis.call('hset','h','a','1') redis.setresp(3) return redis.call('hgetall','h')",
                    "redis.setresp(3) return type(redis.call('hgetall','h').map)",
                    "redis.setresp(3) return redis.call('hgetall','h').map.a",
                    "redis.setresp(3) return redis.call('exists','h')",
                    "redis.setresp(3) return true", "redis.setresp(3) return false", "redis.setresp(2) return false",
                    "redis.call('select', 1) return redis.call('get','k')", "return redis.call('get','k')",
                    "return redis.call('blmpop','0','1','nolist','LEFT')", "return redis.call('lpop','nolist')"));
            script.add(eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "k1", "k2", "a1", "a2"));
            script.add(eval("return redis.call('set', KEYS[1], ARGV[1])", "1", "key", "value"));
            script.add(List.of("GET", "key"));
            script.add(eval("return {redis.call('incrby', KEYS[1], ARGV[1]), redis.call('get', KEYS[1])}", "1", "counter", "5"));
            Differential.assertSame("reply to Lua", a, b, script);
        });
    }

    @Test
    void resp3ClientsGetResp3Replies() throws Exception {
        withBoth((a, b) -> {
            List<List<String>> script = new ArrayList<>();
            script.add(List.of("HELLO", "3"));
            script.addAll(evals("return true", "return false", "return nil", "return {double=3.5}", "return {map={a=1}}",
                    "return {set={a=true}}", "return {big_number='123'}", "redis.setresp(3) return true",
                    "redis.setresp(3) return false", "redis.call('hset','h','a','1') redis.setresp(3) return redis.call('hgetall','h')",
                    "return redis.call('hgetall','h')", "redis.setresp(3) return redis.call('get','nokey')"));
            Differential.assertSame("RESP3", a, b, script.subList(1, script.size()).isEmpty() ? script : withoutHello(a, b, script));
        });
    }

    /** HELLO's reply names the server (jpmem vs redis): send it to both, compare the rest. */
    private static List<List<String>> withoutHello(TestServer.Client a, TestServer.Client b, List<List<String>> script) throws Exception {
        a.call(script.get(0).toArray(String[]::new));
        b.call(script.get(0).toArray(String[]::new));
        return script.subList(1, script.size());
    }

    @Test
    void theSandboxRefusesAsRedis() throws Exception {
        withBoth((a, b) -> Differential.assertSame("sandbox", a, b, evals(
                "x = 1", "return a", "os.exit()", "return io", "return loadfile", "return dofile", "return print",
                "redis = 1", "string.x = 1", "return type(getfenv)",
                "return type(require)", "return type(coroutine)", "return type(load)", "return unpack({1,2})",
                "return loadstring('return 5')()", "return table.concat({1,2},',')", "local t = {} t.x = 1 return t.x",
                "return string.format('%d-%s', 7, 'x')", "return math.floor(7.9)", "return tonumber('12')",
                "return bit.band(7,3)", "return bit.bor(1,2,4)", "return bit.bxor(5,1)", "return bit.bnot(0)",
                "return bit.lshift(1,31)", "return bit.rshift(-1,28)", "return bit.arshift(-16,2)", "return bit.tohex(255)",
                "return bit.tohex(-1, -4)", "return bit.tobit(4294967297)", "return bit.rol(1,33)",
                "return table.getn({1,2,3})", "return table.maxn({1,2,nil,9})", "return math.mod(7,3)",
                "local s = '' for w in string.gfind('a b c', '%a') do s = s .. w end return s")));
    }

    @Test
    void failingScriptsGetRedisErrorsAndKeepTheirWrites() throws Exception {
        withBoth((a, b) -> {
            List<List<String>> script = new ArrayList<>(evals(
                    "return redis.call('nosuch')", "return redis.call('incr','nokey','x')", "return redis.call()",
                    "return redis.call({})", "return redis.call('set',{})", "return redis.call('set','a')",
                    "return redis.call('multi')", "return redis.call('eval','return 1',0)", "return redis.call('blpop','q',0)",
                    "return redis.call('brpoplpush','a','b',0)", "return redis.call('subscribe','c')",
                    "return redis.call('script','flush')", "return redis.setresp(4)", "error('boom')", "error(1)",
                    "error({err='tab'})", "redis.call('set','w','1') error('after the write')", "return redis.call('get','w')",
                    "redis.call('set','s','x') return redis.call('incr','s')", "return redis.call('get','s')",
                    "\n\nerror('third line')", "local function f()\n  return redis.call('nosuch')\nend\nreturn f()",
                    "return redis.call('set','k','v')", "return redis.call('incr','k')"));
            script.add(List.of("EVAL", "return 1", "-1"));
            script.add(List.of("EVAL", "return 1", "5", "a"));
            script.add(List.of("EVAL", "return 1", "x"));
            script.add(List.of("EVAL", "return 1"));
            script.add(List.of("EVAL_RO", "return redis.call('set','ro','1')", "0"));
            script.add(List.of("EVAL_RO", "return redis.call('get','k')", "0"));
            script.add(List.of("EVAL_RO", "return redis.pcall('del','k')", "0"));
            script.add(List.of("GET", "ro"));
            script.add(List.of("PING"));
            Differential.assertSame("failing scripts", a, b, script);
        });
    }

    @Test
    void scriptCacheAndEvalsha() throws Exception {
        withBoth((a, b) -> {
            String body = "return redis.call('incr', KEYS[1])";
            String sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"; // SHA-1 of the body: checked by SCRIPT LOAD below
            Differential.assertSame("script cache", a, b, List.of(
                    List.of("SCRIPT", "EXISTS", sha, "ffffffffffffffffffffffffffffffffffffffff"),
                    List.of("EVALSHA", sha, "1", "c"),
                    List.of("SCRIPT", "LOAD", body),
                    List.of("SCRIPT", "EXISTS", sha, "ffffffffffffffffffffffffffffffffffffffff"),
                    List.of("EVALSHA", sha, "1", "c"),
                    List.of("EVALSHA", sha.toUpperCase(), "1", "c"),
                    List.of("EVALSHA_RO", sha, "1", "c"),
                    List.of("EVALSHA", "0123", "0"),
                    List.of("SCRIPT", "FLUSH"),
                    List.of("SCRIPT", "EXISTS", sha),
                    List.of("EVAL", body, "1", "c"),
                    List.of("SCRIPT", "EXISTS", sha),
                    List.of("EVALSHA", sha, "1", "c"),
                    List.of("SCRIPT", "FLUSH", "ASYNC"),
                    List.of("SCRIPT", "FLUSH", "SYNC"),
                    List.of("SCRIPT", "FLUSH", "LATER"),
                    List.of("SCRIPT", "EXISTS", sha),
                    List.of("SCRIPT", "KILL"),
                    List.of("SCRIPT", "NOSUCH"),
                    List.of("SCRIPT", "LOAD"),
                    List.of("SCRIPT", "EXISTS"),
                    List.of("SCRIPT", "HELP"),
                    List.of("GET", "c")));
        });
    }

    /**
     * Where LuaJ's own messages differ from Lua 5.1's (compile errors, the names of variables in
     * runtime errors, errors raised by library functions called from Lua), the reply still has
     * Redis's frame: its prefix, the position, the script and line (docs/redis.md lists these).
     */
    @Test
    void luaEngineMessagesKeepRedisFrame() throws Exception {
        withBoth((a, b) -> {
            for (TestServer.Client c : List.of(a, b)) {
                String compile = c.call("EVAL", "return (", "0");
                assertTrue(compile.startsWith("-ERR Error compiling script (new function): user_script:1: "), compile);
                String load = c.call("SCRIPT", "LOAD", "syntax error here");
                assertTrue(load.startsWith("-ERR Error compiling script (new function): user_script:1: "), load);
                String index = c.call("EVAL", "local x = nil\nlocal y = 2\nreturn x.field", "0");
                assertTrue(index.startsWith("-ERR user_script:3: attempt to index "), index);
                assertTrue(index.endsWith("(a nil value) script: b8160a53ef22f438c360e2d7ed4828f11301d8e9, on @user_script:3.\r\n"), index);
                String rawset = c.call("EVAL", "rawset(_G,'x',1)", "0");
                assertTrue(rawset.startsWith("-ERR ") && rawset.contains("Attempt to modify a readonly table script: "), rawset);
                assertEquals(":1\r\n", c.call("EVAL", "return 1", "0"));
            }
        });
    }

    @Test
    void scriptsInsideMultiAndWatch() throws Exception {
        withBoth((a, b) -> Differential.assertSame("MULTI", a, b, List.of(
                List.of("MULTI"),
                eval("redis.call('set','m','1') return redis.call('incr','m')"),
                List.of("INCR", "m"),
                List.of("EXEC"),
                List.of("GET", "m"),
                List.of("MULTI"),
                List.of("EVAL", "return 1", "x"),
                List.of("EXEC"))));
    }
}

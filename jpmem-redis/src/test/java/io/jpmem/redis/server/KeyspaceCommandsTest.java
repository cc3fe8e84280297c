package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SORT, SORT_RO, LPOS, LMPOP, ZMPOP, SINTERCARD, ZINTERCARD and LCS against redis-server, reply for
 * reply (scripts of edge cases and argument errors, then a seeded fuzzer); ZRANDMEMBER and HRANDFIELD,
 * whose replies are random, by their properties (sizes, distinctness, membership, pairing, RESP3
 * shape) and, for their deterministic replies (errors, empty and missing keys), against redis-server.
 */
class KeyspaceCommandsTest {

    @TempDir
    Path dir;

    private void withBoth(ByteExactClient.Both body) throws Exception {
        ByteExactClient.withBoth(dir, body);
    }

    private static void assertSame(ByteExactClient ours, ByteExactClient theirs, String... lines) throws Exception {
        // HELLO: its reply holds the client id
        ByteExactClient.assertSameReplies(ours, theirs, List.of("HELLO"), lines);
    }

    @Test
    void sortByGetLimitAlphaStore() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "RPUSH l 3 1 2 10 -5 2.5 1e2 0x10", "SORT l", "SORT l DESC", "SORT l LIMIT 1 3", "SORT l LIMIT -1 2",
                "SORT l LIMIT 5 100", "SORT l LIMIT 100 1", "SORT l LIMIT 0 0", "SORT l LIMIT 2 -1", "SORT l ALPHA", "SORT l ALPHA DESC LIMIT 0 3",
                "MSET w_3 30 w_1 10 w_2 -2 w_10 x o_3 c o_1 a o_2 b", "HSET h_3 f 9 g z", "HSET h_1 f 7", "HSET h_2 f 8",
                "SORT l BY w_*", "SORT l BY w_* GET # GET o_* GET h_*->f", "SORT l BY h_*->f GET h_*->g GET nostar",
                "RPUSH m 3 1 2", "SORT m BY w_* GET # GET o_*", "SORT m BY o_* ALPHA GET #", "SORT m BY o_* ALPHA DESC LIMIT 0 2",
                "SORT m BY h_*->f", "SORT m BY h_*->f DESC GET h_*->f", "SORT m BY h_*-> GET h_*->", "SORT m BY nosort", "SORT m BY nosort DESC",
                "SORT m BY nosort LIMIT 1 1", "SORT m BY nosort DESC LIMIT 1 5", "SORT m BY nosort GET o_*", "SORT m GET # GET o_* STORE dst",
                "LRANGE dst 0 -1", "SORT m BY nosort STORE dst2", "LRANGE dst2 0 -1", "SET dst v EX 100", "SORT m STORE dst", "TTL dst",
                "SORT nokey STORE dst", "EXISTS dst", "SORT nokey", "SORT nokey BY w_* GET #",
                "SADD s 5 3 9 1", "SORT s", "SORT s DESC LIMIT 1 2", "SORT s BY nosort STORE ss", "LRANGE ss 0 -1", "SORT s ALPHA",
                "ZADD z 1 c 2 a 3 b", "SORT z ALPHA", "SORT z BY nosort", "SORT z BY nosort DESC", "SORT z BY nosort LIMIT 1 1",
                "SORT z BY nosort DESC LIMIT 1 2", "SORT z BY o_*", "SORT z BY nosort BY o_*", "SORT z", "RPUSH bad 1 x 2", "SORT bad", "SORT bad ALPHA",
                "SORT bad STORE dst", "LRANGE dst 0 -1", "SET str v", "SORT str", "HSET hh a b", "SORT hh", "SORT l LIMIT 1", "SORT l LIMIT x 1",
                "SORT l FOO", "SORT l STORE", "SORT l BY", "SORT l GET", "SORT_RO l STORE dst", "SORT_RO l BY w_* GET o_* DESC", "SORT_RO str",
                "RPUSH e \"\" 1 \" 2\"", "SORT e", "RPUSH big 1e500", "SORT big", "SORT l ASC DESC ALPHA ASC"));
    }

    @Test
    void lposLmpopZmpop() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "RPUSH l a b c a b a c", "LPOS l a", "LPOS l a RANK 2", "LPOS l a RANK -1", "LPOS l a RANK -2 COUNT 0",
                "LPOS l a COUNT 0", "LPOS l a COUNT 2", "LPOS l a RANK 2 COUNT 2 MAXLEN 4", "LPOS l a MAXLEN 1", "LPOS l c MAXLEN 2",
                "LPOS l z", "LPOS l z COUNT 1", "LPOS nokey a", "LPOS nokey a COUNT 3", "LPOS l a RANK 0", "LPOS l a RANK x",
                "LPOS l a RANK -9223372036854775808", "LPOS l a RANK -9223372036854775808 COUNT 2", "LPOS l a COUNT -1", "LPOS l a MAXLEN x",
                "LPOS l a FOO", "LPOS l a RANK", "SET s v", "LPOS s a", "LPOS nokey a RANK 0",
                "RPUSH l2 x y z", "LMPOP 2 nokey l2 LEFT", "LMPOP 2 nokey l2 RIGHT COUNT 5", "EXISTS l2", "LMPOP 1 nokey LEFT",
                "LMPOP 3 nokey s l LEFT", "LMPOP 2 l s left count 2", "LMPOP 0 l LEFT", "LMPOP x l LEFT", "LMPOP 3 l LEFT", "LMPOP 1 l UP",
                "LMPOP 1 l LEFT COUNT 0", "LMPOP 1 l LEFT COUNT x", "LMPOP 1 l LEFT COUNT 1 COUNT 1", "LMPOP 1 l LEFT FOO",
                "ZADD z 1 a 2 b 3 c 4 d", "ZMPOP 1 z MIN", "ZMPOP 2 nokey z MAX COUNT 2", "ZMPOP 1 z max count 10", "EXISTS z",
                "ZMPOP 1 z MIN", "ZMPOP 2 s z MIN", "ZMPOP 0 z MIN", "ZMPOP 1 z FOO", "ZMPOP 1 z MIN COUNT 0", "ZMPOP 2 z MIN",
                "ZADD z2 1.5 x inf y", "HELLO 3", "ZMPOP 1 z2 MAX COUNT 2", "LMPOP 1 nokey LEFT", "ZMPOP 1 nokey MIN", "LPOS nokey a", "HELLO 2"));
    }

    @Test
    void intercardAndLcs() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "SADD s1 a b c d", "SADD s2 b c d e", "SADD s3 c d", "SINTERCARD 2 s1 s2", "SINTERCARD 3 s1 s2 s3 LIMIT 1",
                "SINTERCARD 2 s1 s2 LIMIT 0", "SINTERCARD 2 s1 nokey", "SINTERCARD 1 s1 LIMIT 10", "SINTERCARD 0 s1", "SINTERCARD x s1",
                "SINTERCARD 3 s1 s2", "SINTERCARD 1 s1 LIMIT -1", "SINTERCARD 1 s1 LIMIT x", "SINTERCARD 1 s1 FOO", "SINTERCARD 1 s1 LIMIT",
                "SET str v", "SINTERCARD 2 nokey str", "SINTERCARD 2 str s1 LIMIT x",
                "ZADD z1 1 a 2 b 3 c", "ZADD z2 5 c 6 b", "ZINTERCARD 2 z1 z2", "ZINTERCARD 2 z1 s1", "ZINTERCARD 3 z1 z2 s3 LIMIT 1",
                "ZINTERCARD 2 z1 nokey", "ZINTERCARD 0 z1", "ZINTERCARD x z1", "ZINTERCARD 2 z1", "ZINTERCARD 1 z1 LIMIT -1",
                "ZINTERCARD 1 z1 LIMIT 1 LIMIT 2", "ZINTERCARD 1 z1 WITHSCORES", "ZINTERCARD 2 str z1 LIMIT x", "ZINTERCARD 1 z1 LIMIT",
                "MSET a ohmytext b mynewtext", "LCS a b", "LCS a b LEN", "LCS a b IDX", "LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN",
                "LCS a b IDX WITHMATCHLEN MINMATCHLEN -3", "LCS a b idx len", "LCS a b MINMATCHLEN x", "LCS a b FOO", "LCS a b MINMATCHLEN",
                "LCS a z1", "LCS nokey a", "LCS nokey a IDX", "LCS a a IDX WITHMATCHLEN", "HELLO 3", "LCS a b IDX WITHMATCHLEN", "HELLO 2",
                "SET long1 " + "ab".repeat(300), "SET long2 " + "ba".repeat(300), "LCS long1 long2 LEN", "SET long3 " + "x".repeat(600),
                "LCS long3 long3 LEN"));
    }

    @Test
    void randomMembersAndFieldsHaveRedisProperties() throws Exception {
        withBoth((a, b) -> {
            assertSame(a, b, "ZADD z 1 a 2 b 3 c", "HSET h f1 v1 f2 v2 f3 v3", "SET str v", "ZRANDMEMBER nokey", "ZRANDMEMBER nokey 3",
                    "ZRANDMEMBER z 0", "ZRANDMEMBER z x", "ZRANDMEMBER z 1 foo", "ZRANDMEMBER z 1 WITHSCORES x", "ZRANDMEMBER nokey 5 foo",
                    "ZRANDMEMBER z -9223372036854775808", "ZRANDMEMBER z -4611686018427387905 WITHSCORES", "ZRANDMEMBER str",
                    "ZRANDMEMBER str 2", "HRANDFIELD nokey", "HRANDFIELD nokey -2 WITHVALUES", "HRANDFIELD h 0", "HRANDFIELD h x",
                    "HRANDFIELD h 1 WITHSCORES", "HRANDFIELD h 4611686018427387904 WITHVALUES", "HRANDFIELD str 1");
            Set<String> members = Set.of("a", "b", "c");
            for (int i = 0; i < 50; i++) {
                List<String> one = elements(a.call(List.of("ZRANDMEMBER", "z", "2")));
                assertEquals(2, one.size());
                assertEquals(2, new HashSet<>(one).size(), "distinct: " + one);
                assertTrue(members.containsAll(one), one.toString());
                List<String> repeated = elements(a.call(List.of("ZRANDMEMBER", "z", "-7")));
                assertEquals(7, repeated.size());
                assertTrue(members.containsAll(repeated), repeated.toString());
                List<String> all = elements(a.call(List.of("HRANDFIELD", "h", "5", "WITHVALUES")));
                assertEquals(6, all.size());
                for (int k = 0; k < all.size(); k += 2) {
                    assertEquals("v" + all.get(k).substring(1), all.get(k + 1), all.toString());
                }
                List<String> scored = elements(a.call(List.of("ZRANDMEMBER", "z", "-3", "WITHSCORES")));
                for (int k = 0; k < scored.size(); k += 2) {
                    assertEquals(Integer.toString(scored.get(k).charAt(0) - 'a' + 1), scored.get(k + 1), scored.toString());
                }
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                seen.add(elements(a.call(List.of("HRANDFIELD", "h"))).getFirst());
            }
            assertEquals(Set.of("f1", "f2", "f3"), seen, "every field comes up");
            a.call(List.of("HELLO", "3"));
            String pairs = a.call(List.of("ZRANDMEMBER", "z", "-2", "WITHSCORES"));
            assertTrue(pairs.startsWith("*2\r\n*2\r\n$1\r\n") && pairs.contains("\r\n,"), ByteExactClient.printable(pairs));
        });
    }

    /** {@return the bulk strings of a flat RESP2 reply} */
    private static List<String> elements(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("$") && !lines[i].equals("$-1")) {
                out.add(lines[++i]);
            }
        }
        return out;
    }

    // ---- the fuzzer ----

    private static final String[] LISTS = {"l0", "l1"};
    private static final String[] SETS = {"s0", "s1"};
    private static final String[] ZSETS = {"z0", "z1"};
    private static final String[] STRINGS = {"w_1", "w_2", "w_3", "o_1", "o_2"};
    private static final String[] VALUES = {"1", "2", "3", "10", "-1", "2.5", "a", "b", "x", ""};

    private static String pick(SplittableRandom r, String... from) {
        return from[r.nextInt(from.length)];
    }

    /** Any key: one of each type, or one that never exists. */
    private static String anyKey(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> pick(r, LISTS);
            case 2 -> pick(r, SETS);
            case 3 -> pick(r, ZSETS);
            case 4 -> pick(r, STRINGS);
            default -> r.nextBoolean() ? "nokey" : "h_1";
        };
    }

    private static String number(SplittableRandom r) {
        return switch (r.nextInt(15)) {
            case 0 -> "x";
            case 1 -> Long.toString(r.nextLong());
            default -> Integer.toString(r.nextInt(12) - 3);
        };
    }

    private static List<String> keys(SplittableRandom r, List<String> c, int max) {
        int n = 1 + r.nextInt(max);
        String declared = r.nextInt(15) == 0 ? pick(r, "0", "-1", "x", Integer.toString(n + 1)) : Integer.toString(n);
        c.add(declared);
        for (int i = 0; i < n; i++) {
            c.add(anyKey(r));
        }
        return c;
    }

    /**
     * {@return whether Redis leaves the order of this SORT's result unspecified}: ties under ALPHA
     * with BY, and a set's own order (a BY without {@code *}, no STORE). Parses the options as SORT does.
     */
    private static boolean unspecifiedOrder(List<String> c) {
        boolean alpha = false;
        boolean by = false;
        boolean dontSort = false;
        boolean store = false;
        for (int i = 2; i < c.size(); i++) {
            int left = c.size() - i - 1;
            String option = c.get(i).toUpperCase(java.util.Locale.ROOT);
            switch (option) {
                case "ALPHA" -> alpha = true;
                case "ASC", "DESC" -> { }
                default -> {
                    if (option.equals("LIMIT") && left >= 2) {
                        i += 2;
                    } else if (option.equals("STORE") && left >= 1 && c.get(0).equals("SORT")) {
                        store = true;
                        i++;
                    } else if (option.equals("BY") && left >= 1) {
                        by = true;
                        dontSort |= !c.get(++i).contains("*");
                    } else if (option.equals("GET") && left >= 1) {
                        i++;
                    } else {
                        return false; // a syntax error
                    }
                }
            }
        }
        boolean set = c.get(1).startsWith("s");
        return alpha && by && !(set && dontSort && store) || set && dontSort && !store;
    }

    static List<String> randomCommand(SplittableRandom r) {
        List<String> c = new ArrayList<>();
        switch (r.nextInt(14)) {
            case 0 -> c.addAll(List.of("RPUSH", pick(r, LISTS), pick(r, VALUES), pick(r, VALUES), pick(r, "1", "3", "a")));
            case 1 -> c.addAll(List.of("SADD", pick(r, SETS), pick(r, "1", "2", "3", "10", "a", "b", "c"), pick(r, "1", "5", "x")));
            case 2 -> c.addAll(List.of("ZADD", pick(r, ZSETS), Integer.toString(r.nextInt(5)), pick(r, "1", "2", "3", "a", "b", "c", "d")));
            case 3 -> c.addAll(List.of("SET", pick(r, STRINGS), pick(r, VALUES)));
            case 4 -> c.addAll(r.nextInt(3) == 0 ? List.of("DEL", anyKey(r)) : List.of("HSET", "h_" + pick(r, "1", "2", "3", "a"), "f", pick(r, VALUES)));
            case 5, 6 -> {
                boolean ro = r.nextInt(4) == 0;
                c.addAll(List.of(ro ? "SORT_RO" : "SORT", anyKey(r)));
                int options = r.nextInt(5);
                for (int i = 0; i < options; i++) {
                    switch (r.nextInt(9)) {
                        case 0 -> c.add(pick(r, "ASC", "DESC", "desc"));
                        case 1 -> c.add("ALPHA");
                        case 2 -> c.addAll(List.of("LIMIT", number(r), number(r)));
                        case 3 -> c.addAll(List.of("BY", pick(r, "w_*", "o_*", "h_*->f", "nosort", "h_*->")));
                        case 4, 5 -> c.addAll(List.of("GET", pick(r, "#", "w_*", "o_*", "h_*->f", "nostar")));
                        case 6 -> c.addAll(List.of("STORE", pick(r, "dst", "dst", anyKey(r))));
                        case 7 -> c.add(pick(r, "FOO", "LIMIT", "GET", "BY"));
                        default -> { }
                    }
                }
                if (unspecifiedOrder(c)) {
                    c.clear();
                    c.addAll(List.of("SORT", pick(r, LISTS), "LIMIT", number(r), number(r)));
                }
            }
            case 7 -> {
                c.addAll(List.of("LPOS", pick(r, LISTS[0], LISTS[1], anyKey(r)), pick(r, VALUES)));
                int options = r.nextInt(4);
                for (int i = 0; i < options; i++) {
                    c.addAll(List.of(pick(r, "RANK", "COUNT", "MAXLEN", "rank", "FOO"), number(r)));
                }
                if (r.nextInt(20) == 0) {
                    c.removeLast();
                }
            }
            case 8 -> {
                c.add("LMPOP");
                keys(r, c, 3).add(pick(r, "LEFT", "RIGHT", "right", "UP"));
                if (r.nextBoolean()) {
                    c.addAll(List.of("COUNT", number(r)));
                }
            }
            case 9 -> {
                c.add("ZMPOP");
                keys(r, c, 3).add(pick(r, "MIN", "MAX", "max", "UP"));
                if (r.nextBoolean()) {
                    c.addAll(List.of("COUNT", number(r)));
                }
            }
            case 10, 11 -> {
                c.add(r.nextBoolean() ? "SINTERCARD" : "ZINTERCARD");
                keys(r, c, 3);
                if (r.nextBoolean()) {
                    c.addAll(List.of(pick(r, "LIMIT", "LIMIT", "FOO"), number(r)));
                }
            }
            case 12 -> {
                c.addAll(List.of("LCS", pick(r, STRINGS[0], STRINGS[3], anyKey(r)), pick(r, STRINGS[1], STRINGS[4], anyKey(r))));
                int options = r.nextInt(4);
                for (int i = 0; i < options; i++) {
                    String option = pick(r, "IDX", "LEN", "WITHMATCHLEN", "MINMATCHLEN", "FOO");
                    c.add(option);
                    if (option.equals("MINMATCHLEN")) {
                        c.add(number(r));
                    }
                }
            }
            default -> c.addAll(List.of(pick(r, "LRANGE", "ZRANGE"), pick(r, LISTS[0], ZSETS[0], "dst", anyKey(r)), "0", "-1"));
        }
        return c;
    }

    @Test
    void fuzzedKeyspaceCommandsAnswerAsRedisDoes() throws Exception {
        withBoth((a, b) -> DifferentialFuzzer.run("keyspace", DifferentialFuzzer.seed(), DifferentialFuzzer.commands(20_000), a, b,
                KeyspaceCommandsTest::randomCommand));
    }
}

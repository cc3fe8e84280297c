package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream commands, reply for reply against redis-server 7.0, errors included. Time-dependent
 * values are normalized on both sides before comparing ({@link #normalize}): idle times and delivery
 * or seen times, and {@code radix-tree-nodes} (Redis's internal node count; see docs/redis.md). Ids
 * are explicit wherever a reply shows them.
 */
class StreamCommandsTest {

    @TempDir
    Path dir;

    /**
     * {@return a raw reply with its time-dependent integers replaced by 0}: the integer after an
     * {@code idle}, {@code seen-time}, {@code radix-tree-nodes} field; in XPENDING's extended form
     * and XINFO STREAM FULL's pending lists, the idle/delivery-time element.
     */
    static String normalize(List<String> command, String reply) {
        String out = reply.replaceAll("(\\$4\r\nidle\r\n):-?\\d+", "$1:0")
                .replaceAll("(\\$9\r\nseen-time\r\n):\\d+", "$1:0")
                .replaceAll("(\\$16\r\nradix-tree-nodes\r\n):\\d+", "$1:0");
        String name = command.getFirst().toUpperCase(java.util.Locale.ROOT);
        if (name.equals("XPENDING") && command.size() > 3) {
            out = out.replaceAll("(\\*4\r\n\\$\\d+\r\n[^\r]*\r\n\\$\\d+\r\n[^\r]*\r\n):\\d+", "$1:0");
        }
        if (name.equals("XINFO") && command.size() > 3) {
            out = out.replaceAll("(\\*4\r\n\\$\\d+\r\n[0-9-]+\r\n\\$\\d+\r\n[^\r]*\r\n):\\d+", "$1:0")
                    .replaceAll("(\\*3\r\n\\$\\d+\r\n[0-9-]+\r\n):\\d+", "$1:0");
        }
        return out;
    }

    static void assertSame(ByteExactClient ours, ByteExactClient theirs, String... lines) throws IOException {
        List<String> differences = new ArrayList<>();
        for (String line : lines) {
            List<String> command = List.of(line.trim().split(" +"));
            String a = normalize(command, ours.call(command));
            String b = normalize(command, theirs.call(command));
            if (!a.equals(b)) {
                differences.add(line + "\n  jpmem: " + ByteExactClient.printable(a) + "\n  redis: " + ByteExactClient.printable(b));
            }
        }
        assertEquals("", String.join("\n", differences));
    }

    private void withBoth(ByteExactClient.Both body) throws Exception {
        ByteExactClient.withBoth(dir, body);
    }

    @Test
    void xaddIdsAndErrors() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "XADD s 1-1 a 1", "XADD s 1-1 a 1", "XADD s 1-0 a 1", "XADD s 0-0 a 1", "XADD n 0-0 a 1", "XADD n 0 a 1",
                "EXISTS n", "XADD n 0-* a 1", "XADD n 0-* a 2", "XADD s 1-* f v", "XADD s 5-* f v", "XADD s 4-* f v",
                "XADD s +7 f v", "XADD s 08-2 f v", "XADD s 9-x f v", "XADD s -1 f v", "XADD s 10--1 f v", "XADD s 10--01 f v",
                "XADD s 18446744073709551616 f v", "XADD s 18446744073709551615-18446744073709551614 f v",
                "XADD s 18446744073709551615-* f v", "XADD s 18446744073709551615-* f v", "XADD s * f v", "XLEN s",
                "XADD s f", "XADD s 1 f", "XADD s 100 f v g", "XADD s MAXLEN 5", "XADD s MAXLEN", "XADD s NOMKSTREAM",
                "XADD none NOMKSTREAM 1-1 f v", "EXISTS none", "XADD none NOMKSTREAM bad f v", "XADD none NOMKSTREAM 0-0 f v",
                "XADD t MAXLEN -1 1 a b", "XADD t MAXLEN x 1 a b", "XADD t MAXLEN ~ x 1 a b", "XADD t MAXLEN 1 MINID 1 1 a b",
                "XADD t MINID 1 MAXLEN 1 1 a b", "XADD t MINID - 1 a b", "XADD t MINID bad 1 a b", "XADD t LIMIT 5 1 a b",
                "XADD t MAXLEN = 2 LIMIT 5 1 a b", "XADD t MAXLEN ~ 2 LIMIT -1 1 a b", "XADD t MAXLEN ~ 2 LIMIT x 1 a b",
                "XADD t MAXLEN ~ 2 LIMIT 10 1 a b", "XADD t maxlen 1 2 a b", "XADD t MINID 3 3 a b", "XRANGE t - +",
                "SET str x", "XADD str 1 a b", "XADD str NOMKSTREAM 1 a b", "XLEN str", "XLEN nokey", "TYPE s",
                "OBJECT ENCODING s", "XADD s 1 a", "XADD t FOO 1 a b"));
    }

    @Test
    void rangesCountsAndExclusiveBounds() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "XADD s 1-1 a 1", "XADD s 1-2 b 2 c 3", "XADD s 2-0 a 4", "XADD s 3-5 a 5", "XADD s 5 x y",
                "XRANGE s - +", "XRANGE s - + COUNT 2", "XRANGE s - + COUNT 0", "XRANGE s - + COUNT -3", "XRANGE s 1 1",
                "XRANGE s 1-2 3", "XRANGE s (1-1 (3-5", "XRANGE s (1 +", "XRANGE s - (2", "XRANGE s (- +", "XRANGE s - (+",
                "XRANGE s (18446744073709551615-18446744073709551615 +", "XRANGE s - (0-0", "XRANGE s - (0", "XRANGE s 5 1",
                "XRANGE s x +", "XRANGE s - x", "XRANGE s - + COUNT", "XRANGE s - + COUNT x", "XRANGE s - + FOO 1",
                "XRANGE s - + COUNT 1 COUNT 3", "XREVRANGE s + -", "XREVRANGE s + - COUNT 2", "XREVRANGE s (5 (1-1",
                "XREVRANGE s 3 2", "XREVRANGE s 2 3", "XREVRANGE s + - COUNT 0", "XREVRANGE s (+ -", "XRANGE nokey - +",
                "XREVRANGE nokey + -", "XRANGE nokey - + COUNT 0", "xrange s - + count 1", "SET str x", "XRANGE str - +", "XRANGE str x +", "XRANGE s", "XRANGE s -"));
    }

    @Test
    void deleteTrimAndSetId() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "XADD s 1 a 1", "XADD s 2 a 2", "XADD s 3 a 3", "XADD s 4 a 4", "XADD s 5 a 5", "XADD s 6 a 6",
                "XDEL s 2 2 9", "XDEL s 3 bad", "XDEL nokey 1", "XDEL nokey bad", "XLEN s", "XINFO STREAM s",
                "XTRIM s MAXLEN 4", "XTRIM s MAXLEN = 3", "XRANGE s - +", "XTRIM s MINID 5", "XRANGE s - +",
                "XTRIM s MAXLEN ~ 0", "XTRIM s MINID ~ 10", "XLEN s", "XTRIM s MAXLEN 0", "XLEN s", "EXISTS s", "XINFO STREAM s",
                "XTRIM s FOO 1", "XTRIM s MAXLEN 1 2", "XTRIM s MAXLEN = 1 LIMIT 1", "XTRIM s MAXLEN -1", "XTRIM nokey MAXLEN 1",
                "XTRIM nokey FOO BAR", "XTRIM s NOMKSTREAM MAXLEN 1", "SET str x", "XTRIM str MAXLEN 1", "XDEL str 1",
                "XADD t 5-1 a b", "XADD t 5-2 a b", "XSETID t 1", "XSETID t 5-2", "XSETID t 9-9", "XINFO STREAM t",
                "XSETID t 10-0 ENTRIESADDED 1", "XSETID t 10-0 ENTRIESADDED -1", "XSETID t 10-0 ENTRIESADDED x",
                "XSETID t 10-0 ENTRIESADDED 2 MAXDELETEDID 11-0", "XSETID t 10-0 ENTRIESADDED 99 MAXDELETEDID 3-0",
                "XINFO STREAM t", "XSETID t 2-0", "XSETID t 10-0 FOO", "XSETID t 10-0 ENTRIESADDED", "XSETID nokey 1",
                "XSETID nokey bad", "XSETID str 1", "XSETID t bad", "XDEL t 5-1", "XSETID t 5-0", "XDEL t 5-2",
                "XINFO STREAM t", "XADD t 4 a b", "XADD t 11-0 a b", "XSETID t 18446744073709551615-18446744073709551615",
                "XADD t 1 a b", "XADD t 18446744073709551615-* a b", "XLEN t"));
    }

    @Test
    void approximateTrimmingRemovesWholeNodes() throws Exception {
        withBoth((a, b) -> {
            List<String> script = new ArrayList<>();
            for (int i = 1; i <= 350; i++) {
                script.add("XADD s " + i + " f " + i);
            }
            script.addAll(List.of("XINFO STREAM s", "XTRIM s MAXLEN ~ 120", "XLEN s", "XTRIM s MAXLEN ~ 120 LIMIT 50", "XLEN s",
                    "XDEL s 250 251 252", "XTRIM s MINID ~ 300", "XLEN s", "XTRIM s MINID ~ 340", "XLEN s", "XINFO STREAM s"));
            for (int i = 1; i <= 300; i++) {
                script.add("XADD t MAXLEN ~ 150 " + i + " field" + (i % 3) + " " + "v".repeat(i % 50));
            }
            script.addAll(List.of("XLEN t", "XINFO STREAM t", "XADD t MAXLEN = 10 1000 x y", "XLEN t"));
            for (int i = 1; i <= 40; i++) {
                script.add("XADD big " + i + " f " + "x".repeat(300));
            }
            script.addAll(List.of("XINFO STREAM big", "XTRIM big MAXLEN ~ 5", "XLEN big", "XTRIM big MINID ~ 30 LIMIT 5", "XLEN big"));
            assertSame(a, b, script.toArray(String[]::new));
        });
    }

    @Test
    void groupsAndConsumers() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "XADD s 1 f v1", "XADD s 2 f v2", "XADD s 3 f v3", "XADD s 4 f v4", "XADD s 5 f v5",
                "XGROUP CREATE s g $", "XGROUP CREATE s g2 0", "XGROUP CREATE s g3 2 ENTRIESREAD 1", "XGROUP CREATE s g 0",
                "XGROUP CREATE nos g 0", "XGROUP CREATE nos g 0 MKSTREAM", "XLEN nos", "XGROUP CREATE nos2 g $ MKSTREAM ENTRIESREAD 3",
                "XGROUP CREATE s g4 0 ENTRIESREAD -2", "XGROUP CREATE s g4 0 ENTRIESREAD x", "XGROUP CREATE s g4 0 FOO",
                "XGROUP CREATE s g4 bad", "XGROUP CREATE s", "XGROUP CREATE s g4 0 MKSTREAM ENTRIESREAD 1 MKSTREAM x",
                "XINFO GROUPS s", "XREADGROUP GROUP g2 alice COUNT 2 STREAMS s >", "XINFO GROUPS s", "XDEL s 4", "XINFO GROUPS s",
                "XINFO CONSUMERS s g2", "XPENDING s g2", "XPENDING s g2 - + 10", "XPENDING s g - + 10", "XPENDING s g",
                "XGROUP CREATECONSUMER s g2 bob", "XGROUP CREATECONSUMER s g2 bob", "XGROUP CREATECONSUMER s nog bob",
                "XGROUP CREATECONSUMER nokey g bob", "XINFO CONSUMERS s g2", "XGROUP DELCONSUMER s g2 nobody",
                "XGROUP DELCONSUMER s g2 alice", "XPENDING s g2", "XGROUP DELCONSUMER s nog alice", "XGROUP DESTROY s g",
                "XGROUP DESTROY s g", "XGROUP DESTROY nokey g", "XGROUP SETID s g2 $", "XINFO GROUPS s",
                "XGROUP SETID s g2 1 ENTRIESREAD 1", "XINFO GROUPS s", "XGROUP SETID s g2 1 FOO 1", "XGROUP SETID s g2 1 ENTRIESREAD",
                "XGROUP SETID s nog 1", "XGROUP SETID s g2 bad", "XGROUP SETID s g2 0 ENTRIESREAD -5", "XGROUP HELP", "XGROUP HELP x",
                "XGROUP FOO", "XGROUP DESTROY s", "XGROUP CREATECONSUMER s g2", "SET str x", "XGROUP CREATE str g 0",
                "XGROUP DESTROY str g", "XINFO GROUPS nos2", "XINFO STREAM s FULL", "XINFO STREAM s FULL COUNT 1",
                "XINFO STREAM s FULL COUNT 0", "XINFO STREAM s FOO", "XINFO STREAM s FULL COUNT", "XINFO STREAM s FULL COUNT x",
                "XINFO STREAM nokey", "XINFO STREAM str", "XINFO GROUPS nokey", "XINFO CONSUMERS s nog", "XINFO CONSUMERS nokey g",
                "XINFO FOO", "XINFO GROUPS s x", "XINFO HELP", "XINFO", "XGROUP"));
    }

    @Test
    void readGroupAckPendingClaim() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "XADD s 1 f v1", "XADD s 2 f v2", "XADD s 3 f v3", "XADD s 4 f v4", "XADD s 5 f v5", "XGROUP CREATE s g 0",
                "XREADGROUP GROUP g alice COUNT 2 STREAMS s >", "XREADGROUP GROUP g bob COUNT 1 STREAMS s >",
                "XREADGROUP GROUP g alice STREAMS s 0", "XREADGROUP GROUP g alice STREAMS s 1", "XREADGROUP GROUP g carol STREAMS s 0",
                "XPENDING s g", "XPENDING s g - + 10", "XPENDING s g - + 10 alice", "XPENDING s g - + 10 nobody",
                "XPENDING s g IDLE 0 - + 10", "XPENDING s g IDLE 1000000 - + 10", "XPENDING s g (1 + 1", "XPENDING s g - + 0",
                "XPENDING s g - + -1", "XPENDING s g - +", "XPENDING s g - + x", "XPENDING s g x + 1", "XPENDING s g IDLE x - + 1",
                "XPENDING s g IDLE 10 - +", "XPENDING s nog", "XPENDING nokey g", "XPENDING s g - + 10 alice extra",
                "XACK s g 1 1 9", "XACK s g bad", "XACK s nog 1", "XACK nokey g 1", "XPENDING s g", "XDEL s 2",
                "XREADGROUP GROUP g alice STREAMS s 0", "XPENDING s g - + 10", "XCLAIM s g bob 0 2 3", "XCLAIM s g bob 0 3 JUSTID",
                "XPENDING s g - + 10", "XCLAIM s g bob 0 5", "XCLAIM s g bob 0 5 FORCE", "XCLAIM s g bob 0 4 FORCE JUSTID",
                "XPENDING s g - + 10", "XCLAIM s g carol 0 3 RETRYCOUNT 7 IDLE 5000", "XPENDING s g - + 10 carol",
                "XCLAIM s g carol 100000 3", "XCLAIM s g carol x 3", "XCLAIM s g carol 0 3 FOO", "XCLAIM s g carol 0 3 IDLE x",
                "XCLAIM s g carol 0 3 TIME x", "XCLAIM s g carol 0 3 RETRYCOUNT x", "XCLAIM s g carol 0 3 LASTID bad",
                "XCLAIM s g dave 0 3 LASTID 9", "XINFO GROUPS s", "XCLAIM s nog c 0 1", "XCLAIM nokey g c 0 1",
                "XCLAIM s g dave 0 bad", "XINFO CONSUMERS s g", "XREADGROUP GROUP g eve STREAMS s >", "XADD s 10 f v10",
                "XADD s 11 f v11", "XREADGROUP GROUP g eve NOACK COUNT 1 STREAMS s >", "XREADGROUP GROUP g eve STREAMS s >",
                "XPENDING s g", "XAUTOCLAIM s g frank 0 0", "XAUTOCLAIM s g frank 0 0 COUNT 1", "XAUTOCLAIM s g frank 0 (3 COUNT 2 JUSTID",
                "XDEL s 11", "XAUTOCLAIM s g frank 0 - JUSTID", "XAUTOCLAIM s g frank 100000 -", "XAUTOCLAIM s g frank 0 - COUNT 0",
                "XAUTOCLAIM s g frank 0 - COUNT x", "XAUTOCLAIM s g frank x -", "XAUTOCLAIM s g frank 0 bad", "XAUTOCLAIM s g frank 0 - FOO",
                "XAUTOCLAIM s nog frank 0 -", "XAUTOCLAIM nokey g frank 0 -", "XAUTOCLAIM s g frank 0 (18446744073709551615-18446744073709551615",
                "XPENDING s g - + 100", "XINFO STREAM s FULL", "XINFO GROUPS s"));
    }

    @Test
    void readsAndTheirErrors() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "XADD s 1 f v1", "XADD s 2 f v2", "XADD t 3 g w", "XREAD STREAMS s 0", "XREAD COUNT 1 STREAMS s t 0 0",
                "XREAD STREAMS s t 1 0", "XREAD STREAMS s t $ $", "XREAD STREAMS s nokey 0 0", "XREAD STREAMS nokey 0",
                "XREAD STREAMS s s 0 1", "XREAD COUNT 0 STREAMS s 0", "XREAD COUNT -1 STREAMS s 0", "XREAD COUNT x STREAMS s 0",
                "XREAD STREAMS s", "XREAD STREAMS s t 0", "xread streams s t 0", "xreadgroup group g c streams s", "XREAD FOO STREAMS s 0", "XREAD GROUP g c STREAMS s 0",
                "XREAD NOACK STREAMS s 0", "XREAD STREAMS s >", "XREAD STREAMS s bad", "XREAD STREAMS s (1",
                "XREAD COUNT 1", "XREAD BLOCK x STREAMS s 0", "XREAD BLOCK -1 STREAMS s 0", "XREAD BLOCK 10 STREAMS s 0",
                "SET str x", "XREAD STREAMS str 0", "XREAD STREAMS s str 0 0", "XREADGROUP GROUP g c STREAMS s >",
                "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s $", "XREADGROUP STREAMS s >", "XREADGROUP GROUP g c STREAMS s",
                "XREADGROUP GROUP g c STREAMS s bad", "XREADGROUP GROUP g c STREAMS s t > >", "XREADGROUP GROUP nog c STREAMS s >",
                "XREADGROUP GROUP g c COUNT 1 STREAMS s >", "XREADGROUP GROUP g c STREAMS s >", "XREADGROUP GROUP g c STREAMS s >",
                "XREADGROUP GROUP g c STREAMS s 0", "XREADGROUP GROUP g c COUNT 1 STREAMS s 0", "XREADGROUP GROUP g d STREAMS s 0",
                "XINFO CONSUMERS s g", "XREADGROUP GROUP g c BLOCK 10 STREAMS s >", "XREADGROUP GROUP g c STREAMS str >",
                "MULTI", "XREAD BLOCK 0 STREAMS s $", "XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "XREAD BLOCK 0 STREAMS s 0", "EXEC",
                "EVAL return(redis.call('xread','streams','s','0')[1][2][1][1]) 0",
                "EVAL return(redis.call('xread','block','0','streams','s','$')) 0",
                "EVAL return(redis.call('xadd','s','7','a','b')) 0", "EVAL return(redis.call('xlen','s')) 0"));
    }

    @Test
    void streamsGroupsAndPendingEntriesSurviveARestart() throws Exception {
        java.util.Optional<String> none = java.util.Optional.empty();
        String before;
        try (TestServer server = new TestServer(dir, none, 16); TestServer.Client c = server.client()) {
            for (int i = 1; i <= 250; i++) {
                c.call("XADD", "s", i + "-1", "f", "v" + i, "g", Integer.toString(i));
            }
            assertEquals("+OK\r\n", c.call("XGROUP", "CREATE", "s", "grp", "0"));
            c.call("XREADGROUP", "GROUP", "grp", "alice", "COUNT", "3", "STREAMS", "s", ">");
            c.call("XREADGROUP", "GROUP", "grp", "bob", "COUNT", "2", "STREAMS", "s", ">");
            assertEquals(":1\r\n", c.call("XACK", "s", "grp", "2-1"));
            assertEquals(":2\r\n", c.call("XDEL", "s", "100-1", "101-1"));
            assertEquals(":99\r\n", c.call("XTRIM", "s", "MAXLEN", "~", "130"), "the first node (100 entries, one deleted) goes whole");
            before = c.call("XINFO", "STREAM", "s", "FULL", "COUNT", "0");
        }
        try (TestServer server = new TestServer(dir, none, 16); TestServer.Client c = server.client()) {
            assertEquals(before, c.call("XINFO", "STREAM", "s", "FULL", "COUNT", "0"), "entries, groups, consumers and PEL");
            assertEquals("+stream\r\n", c.call("TYPE", "s"));
            assertEquals(":149\r\n", c.call("XLEN", "s"));
            assertEquals("$5\r\n251-0\r\n", c.call("XADD", "s", "251-*", "f", "v"));
            String pending = c.call("XPENDING", "s", "grp");
            assertEquals("*4\r\n:4\r\n$3\r\n1-1\r\n$3\r\n5-1\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n"
                    + "*2\r\n$3\r\nbob\r\n$1\r\n2\r\n", pending);
            assertEquals(java.util.List.of(), server.heap.check());
            assertEquals(":1\r\n", c.call("DEL", "s"));
            assertEquals(java.util.List.of(), server.heap.check());
        }
    }

    @Test
    void blockedReadersAreServedByAnXaddAndTimeOut() throws Exception {
        java.util.Optional<String> none = java.util.Optional.empty();
        try (TestServer server = new TestServer(dir, none, 16); TestServer.Client reader = server.client();
                TestServer.Client groupReader = server.client(); TestServer.Client timing = server.client();
                TestServer.Client writer = server.client()) {
            writer.call("XADD", "s", "5-0", "old", "1");
            writer.call("XGROUP", "CREATE", "s", "g", "$");
            reader.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            groupReader.command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            timing.command("XREAD", "BLOCK", "50", "STREAMS", "nokey", "$");
            assertEquals("*-1\r\n", timing.reply(), "a timeout answers a null array");
            String clients = writer.call("INFO", "clients");
            org.junit.jupiter.api.Assertions.assertTrue(clients.contains("blocked_clients:2"), clients);
            assertEquals("$3\r\n6-0\r\n", writer.call("XADD", "s", "6-0", "f", "v"));
            String served = "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n";
            assertEquals(served, reader.reply(), "$ meant after 5-0, the last id at block time");
            assertEquals(served, groupReader.reply());
            assertEquals("*4\r\n:1\r\n$3\r\n6-0\r\n$3\r\n6-0\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n",
                    writer.call("XPENDING", "s", "g"), "the blocked group read made the entry pending");
            assertEquals("+OK\r\n", writer.call("MULTI"));
            writer.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            assertEquals("*1\r\n*-1\r\n", writer.call("EXEC"), "inside MULTI it does not block");
        }
    }
}

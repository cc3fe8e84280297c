package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO against redis-server, reply for
 * reply and byte for byte (the string values are read back with GET): a script of edge cases
 * (ranges, units, offsets at the proto-max-bulk-len limit, overflow modes, argument errors and their
 * order), and a seeded fuzzer of random valid, edge-case and invalid commands. Both servers run with
 * proto-max-bulk-len 1 MB, which bounds bit offsets.
 */
class BitmapCommandsTest {

    @TempDir
    Path dir;

    private void withBoth(ByteExactClient.Both body) throws Exception {
        ByteExactClient.withBoth(dir, body);
    }

    private static void assertSame(ByteExactClient ours, ByteExactClient theirs, String... lines) throws Exception {
        ByteExactClient.assertSameReplies(ours, theirs, List.of(), lines);
    }

    @Test
    void setbitGetbitAndTheirErrors() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "SETBIT k 7 1", "GET k", "SETBIT k 7 1", "SETBIT k 7 0", "GET k", "SETBIT k 100 1", "GET k", "STRLEN k",
                "GETBIT k 100", "GETBIT k 99", "GETBIT k 100000", "GETBIT nokey 3",
                "SETBIT k -1 1", "SETBIT k abc 1", "SETBIT k 8388608 1", "SETBIT k 8388607 0", "STRLEN k",
                "SETBIT k 1 2", "SETBIT k 1 -1", "SETBIT k 1 x", "SETBIT k x 2", "GETBIT k -1", "GETBIT k 8388608",
                "SET str foo", "SETBIT str 0 1", "GET str", "SET n 42", "SETBIT n 6 1", "GET n",
                "RPUSH list a", "SETBIT list 0 1", "GETBIT list 0", "SETBIT list x 1",
                "SET t v EX 100", "SETBIT t 0 1", "TTL t", "SETBIT", "GETBIT k"));
    }

    @Test
    void bitcountAndBitposRanges() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "SET s foobar", "BITCOUNT s", "BITCOUNT s 0 0", "BITCOUNT s 1 1", "BITCOUNT s 1 1 BYTE",
                "BITCOUNT s 5 30 BIT", "BITCOUNT s -3 -1 BIT", "BITCOUNT s -1 -2", "BITCOUNT s -1 -2 FOO",
                "BITCOUNT s 0 -1 bit", "BITCOUNT s 2 1", "BITCOUNT s 100 200", "BITCOUNT s -100 100", "BITCOUNT s 0",
                "BITCOUNT s 0 1 BIT x", "BITCOUNT s 0 1 NIBBLE", "BITCOUNT s a 1", "BITCOUNT s 1 b",
                "BITCOUNT nokey 1 2 3 4", "BITCOUNT nokey a b", "SET e \"\"", "DEL e", "RPUSH l x", "BITCOUNT l",
                "SET z \u0000\u00ff\u00f0", "BITPOS z 1", "BITPOS z 0", "BITPOS z 1 1", "BITPOS z 0 1", "BITPOS z 0 1 1",
                "BITPOS z 0 1 -1", "BITPOS z 1 2 2", "BITPOS z 0 2 2", "BITPOS z 0 12 15 BIT", "BITPOS z 0 8 15 BIT",
                "BITPOS z 1 3 7 BIT", "BITPOS z 0 9 BYTE", "BITPOS z 1 -5 -1 BIT", "BITPOS z 0 20 BIT", "BITPOS z 1 5 3",
                "SET ones \u00ff\u00ff", "BITPOS ones 0", "BITPOS ones 0 0", "BITPOS ones 0 0 -1", "BITPOS ones 0 3 BIT",
                "BITPOS ones 0 3 10 BIT", "BITPOS ones 1 16", "BITPOS nokey 0", "BITPOS nokey 1", "BITPOS nokey 1 a",
                "BITPOS z 2", "BITPOS z a", "BITPOS z 1 a", "BITPOS z 1 0 a", "BITPOS z 1 0 1 BITS", "BITPOS z 1 0 1 BIT x",
                "BITPOS l 1", "BITPOS l 2", "SET zero \u0000\u0000", "BITPOS zero 1", "BITPOS zero 0 1 1", "BITPOS zero 1 0 5 BIT"));
    }

    @Test
    void bitopOperationsLengthsAndDeletion() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "SET x \u00f0\u000f\u00aa", "SET y \u00ff", "BITOP AND d x y", "GET d", "BITOP OR d x y", "GET d",
                "BITOP XOR d x y nokey", "GET d", "BITOP NOT d x", "GET d", "BITOP not d nokey", "EXISTS d",
                "SET d v EX 100", "BITOP OR d x", "TTL d", "BITOP AND d nokey y", "GET d", "BITOP NOT d x y",
                "BITOP NAND d x", "RPUSH l a", "BITOP OR d x l", "BITOP OR l x", "GET l", "BITOP OR d", "BITOP AND d x x", "GET d"));
    }

    @Test
    void bitfieldTypesOffsetsAndOverflow() throws Exception {
        withBoth((a, b) -> assertSame(a, b,
                "BITFIELD k SET i8 0 -100 GET i8 0 GET u8 0 GET u4 0 GET i4 4", "GET k",
                "BITFIELD k INCRBY u2 100 1 OVERFLOW SAT INCRBY u2 102 1", "BITFIELD k INCRBY u2 100 1 OVERFLOW SAT INCRBY u2 102 1",
                "BITFIELD k INCRBY u2 100 1 OVERFLOW SAT INCRBY u2 102 1", "BITFIELD k OVERFLOW FAIL INCRBY u2 102 1",
                "BITFIELD k SET u8 #2 255 GET u8 #2 INCRBY i5 #7 -20 OVERFLOW WRAP INCRBY i5 #7 -20", "GET k",
                "BITFIELD k SET i64 0 -9223372036854775808 INCRBY i64 0 -1 OVERFLOW SAT INCRBY i64 0 -1 OVERFLOW FAIL INCRBY i64 0 -1",
                "BITFIELD k SET i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 5 GET i64 0 GET u63 1",
                "BITFIELD k SET u63 0 -1 OVERFLOW SAT SET u63 0 -1 GET u63 0 OVERFLOW FAIL SET u8 0 256 SET u8 0 -1",
                "BITFIELD k OVERFLOW SAT SET i8 0 1000 GET i8 0 SET i8 0 -1000 GET i8 0 SET u1 0 7 GET u1 0",
                "BITFIELD new OVERFLOW FAIL INCRBY u8 80 300", "GET new", "BITFIELD new2 GET u8 0", "EXISTS new2",
                "BITFIELD k", "BITFIELD k GET", "BITFIELD k GET u8", "BITFIELD k SET u8 0", "BITFIELD k FOO u8 0",
                "BITFIELD k GET u64 0", "BITFIELD k GET i65 0", "BITFIELD k GET i0 0", "BITFIELD k GET U8 0", "BITFIELD k GET x8 0",
                "BITFIELD k GET i 0", "BITFIELD k GET u8 -1", "BITFIELD k GET u8 #-1", "BITFIELD k GET u8 8388608",
                "BITFIELD k GET u8 8388600", "BITFIELD k GET u8 #1048576", "BITFIELD k GET u8 #1048575", "BITFIELD k SET u8 #9223372036854775807 1",
                "BITFIELD k SET u8 0 x", "BITFIELD k INCRBY u8 0 1.5", "BITFIELD k OVERFLOW", "BITFIELD k OVERFLOW nope GET u8 0",
                "BITFIELD k overflow sat incrby u8 0 -300 get u8 0 overflow wrap incrby u8 0 -300 get u8 0",
                "BITFIELD_RO k GET u8 0 GET i16 3", "BITFIELD_RO k GET u8 0 SET u8 0 1", "BITFIELD_RO k OVERFLOW SAT",
                "BITFIELD_RO nokey GET u8 0", "RPUSH l a", "BITFIELD l GET u8 0", "BITFIELD l SET u8 0 1", "BITFIELD_RO l GET u8 0",
                "BITFIELD_RO l SET u8 0 1", "BITFIELD l GET u8 x", "SET t v EX 100", "BITFIELD t SET u8 0 1", "TTL t",
                "BITFIELD t SET u8 #1000 1", "STRLEN t", "BITFIELD t SET u8 0 1", "GET t"));
    }

    /** Keys the fuzzer works on: bitmaps, a list (for WRONGTYPE) and keys that never exist. */
    private static final String[] KEYS = {"b0", "b1", "b2", "b3", "list", "none"};

    private static String key(SplittableRandom r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    /** A bit offset: mostly small, sometimes large, at the limit, negative or not a number. */
    private static String offset(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0 -> Integer.toString(r.nextInt(60_000));
            case 1 -> r.nextInt(20) == 0 ? "8388607" : "8388608";
            case 2 -> r.nextBoolean() ? "-1" : "x";
            default -> Integer.toString(r.nextInt(300));
        };
    }

    /** A range bound: small positive or negative, sometimes far out or not a number. */
    private static String bound(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0 -> "x";
            case 1 -> Long.toString(r.nextLong());
            case 2, 3 -> Integer.toString(r.nextInt(400) - 200);
            default -> Integer.toString(r.nextInt(60) - 30);
        };
    }

    private static String unit(SplittableRandom r) {
        String[] units = {"BIT", "BYTE", "bit", "byte", "BITS"};
        return units[r.nextInt(r.nextInt(10) == 0 ? units.length : 4)];
    }

    private static String bytes(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append((char) (r.nextInt(4) == 0 ? r.nextInt(256) : r.nextBoolean() ? 0xff : 0));
        }
        return s.toString();
    }

    private static String fieldType(SplittableRandom r) {
        return switch (r.nextInt(25)) {
            case 0 -> "u64";
            case 1 -> "i0";
            case 2 -> "U8";
            case 3 -> "f8";
            default -> (r.nextBoolean() ? "i" : "u") + (1 + r.nextInt(r.nextBoolean() ? 16 : 63));
        };
    }

    private static String fieldValue(SplittableRandom r) {
        return switch (r.nextInt(12)) {
            case 0 -> Long.toString(r.nextLong());
            case 1 -> r.nextBoolean() ? "9223372036854775807" : "-9223372036854775808";
            case 2 -> "1.5";
            default -> Integer.toString(r.nextInt(600) - 300);
        };
    }

    private static String fieldOffset(SplittableRandom r) {
        return r.nextInt(5) == 0 ? "#" + r.nextInt(40) : offset(r);
    }

    static List<String> randomCommand(SplittableRandom r) {
        List<String> c = new ArrayList<>();
        switch (r.nextInt(16)) {
            case 0, 1, 2 -> c.addAll(List.of("SETBIT", key(r), offset(r), r.nextInt(15) == 0 ? "2" : Integer.toString(r.nextInt(2))));
            case 3 -> c.addAll(List.of("GETBIT", key(r), offset(r)));
            case 4, 5 -> {
                c.addAll(List.of("BITCOUNT", key(r)));
                int extra = r.nextInt(6) == 0 ? r.nextInt(5) : r.nextBoolean() ? 0 : 2 + r.nextInt(2);
                for (int i = 0; i < extra; i++) {
                    c.add(i < 2 ? bound(r) : unit(r));
                }
            }
            case 6, 7 -> {
                c.addAll(List.of("BITPOS", key(r), r.nextInt(20) == 0 ? "2" : Integer.toString(r.nextInt(2))));
                int extra = r.nextInt(10) == 0 ? r.nextInt(5) : r.nextInt(4);
                for (int i = 0; i < extra; i++) {
                    c.add(i < 2 ? bound(r) : unit(r));
                }
            }
            case 8 -> {
                String[] ops = {"AND", "OR", "XOR", "NOT", "and", "nope"};
                c.addAll(List.of("BITOP", ops[r.nextInt(r.nextInt(10) == 0 ? ops.length : 4)], key(r)));
                int sources = c.get(1).equalsIgnoreCase("NOT") && r.nextInt(5) != 0 ? 1 : 1 + r.nextInt(3);
                for (int i = 0; i < sources; i++) {
                    c.add(key(r));
                }
            }
            case 9, 10, 11 -> {
                c.addAll(List.of(r.nextInt(5) == 0 ? "BITFIELD_RO" : "BITFIELD", key(r)));
                int ops = r.nextInt(4);
                for (int i = 0; i < ops; i++) {
                    switch (r.nextInt(7)) {
                        case 0, 1 -> c.addAll(List.of("GET", fieldType(r), fieldOffset(r)));
                        case 2, 3 -> c.addAll(List.of("SET", fieldType(r), fieldOffset(r), fieldValue(r)));
                        case 4, 5 -> c.addAll(List.of("INCRBY", fieldType(r), fieldOffset(r), fieldValue(r)));
                        default -> {
                            String[] modes = {"WRAP", "SAT", "FAIL", "sat", "NONE"};
                            c.addAll(List.of("OVERFLOW", modes[r.nextInt(r.nextInt(8) == 0 ? 5 : 4)]));
                        }
                    }
                }
                if (r.nextInt(30) == 0) {
                    c.removeLast(); // a missing argument
                }
            }
            case 12 -> c.addAll(List.of("GET", key(r)));
            case 13 -> c.addAll(r.nextInt(3) == 0 ? List.of("APPEND", key(r), bytes(r)) : List.of("SET", key(r), bytes(r)));
            case 14 -> c.addAll(r.nextInt(4) == 0 ? List.of("RPUSH", "list", "x") : List.of("DEL", key(r)));
            default -> c.addAll(List.of("STRLEN", key(r)));
        }
        return c;
    }

    @Test
    void fuzzedBitmapCommandsAnswerAsRedisDoes() throws Exception {
        withBoth((a, b) -> DifferentialFuzzer.run("bitmap", DifferentialFuzzer.seed(), DifferentialFuzzer.commands(20_000), a, b,
                BitmapCommandsTest::randomCommand));
    }
}

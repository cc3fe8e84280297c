package io.jpmem.redis.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded differential fuzzer over the stream commands (prints its seed; {@code -Djpmem.fuzzSeed}
 * reproduces a run, {@code -Djpmem.fuzzCommands} sets its length). Ids come from a clock that only
 * moves forward, so streams grow long enough for whole-node trimming, with random ids, bad ids and
 * ids below the top mixed in; {@code *} is left out (its id is the wall clock's), and idle times are
 * normalized ({@link StreamCommandsTest#normalize}). Minimum idle times are 0 or far above any idle
 * time a run can reach, so which entries they select does not depend on timing.
 */
class StreamFuzzTest {

    @TempDir
    Path dir;

    private static final String[] KEYS = {"s1", "s2", "s3"};
    private static final String[] GROUPS = {"g1", "g2", "g3"};
    private static final String[] CONSUMERS = {"c1", "c2", "c3", "c4"};

    /** A generator with a forward-moving id clock. */
    private static final class Generator {
        long clock = 1;

        private static String pick(SplittableRandom r, String... options) {
            return options[r.nextInt(options.length)];
        }

        private String key(SplittableRandom r) {
            return r.nextInt(40) == 0 ? pick(r, "str", "nokey") : KEYS[r.nextInt(r.nextInt(10) == 0 ? 3 : 2)];
        }

        /** An id for reading or deleting: near the clock mostly, sometimes odd. */
        private String id(SplittableRandom r) {
            return switch (r.nextInt(14)) {
                case 0 -> "0";
                case 1 -> "bad";
                case 2 -> "18446744073709551615-18446744073709551615";
                case 3 -> Long.toString(Math.max(0, clock - r.nextInt(5)));
                default -> Math.max(0, clock - r.nextInt(60)) + "-" + r.nextInt(3);
            };
        }

        private String bound(SplittableRandom r, boolean start) {
            return switch (r.nextInt(8)) {
                case 0 -> start ? "-" : "+";
                case 1 -> "(" + id(r);
                case 2 -> start ? "+" : "-";
                default -> id(r);
            };
        }

        private String addId(SplittableRandom r) {
            clock += r.nextInt(3);
            return switch (r.nextInt(12)) {
                case 0 -> Long.toString(Math.max(0, clock - r.nextInt(20)));
                case 1 -> "0-0";
                case 2 -> "x-1";
                case 3, 4 -> clock + "-" + r.nextInt(4);
                default -> clock + "-*";
            };
        }

        private String value(SplittableRandom r) {
            return switch (r.nextInt(10)) {
                case 0 -> "v".repeat(100 + r.nextInt(700));
                case 1 -> Integer.toString(r.nextInt(100_000) - 500);
                case 2 -> "";
                default -> "v" + r.nextInt(20);
            };
        }

        private void trimOptions(SplittableRandom r, List<String> c) {
            boolean minId = r.nextInt(3) == 0;
            c.add(minId ? "MINID" : "MAXLEN");
            String mode = pick(r, "", "~", "~", "=");
            if (!mode.isEmpty()) {
                c.add(mode);
            }
            c.add(minId ? Long.toString(Math.max(0, clock - r.nextInt(400))) : Integer.toString(r.nextInt(10) == 0 ? -1 : r.nextInt(300)));
            if (mode.equals("~") && r.nextInt(3) == 0 || r.nextInt(40) == 0) {
                c.add("LIMIT");
                c.add(Integer.toString(r.nextInt(250)));
            }
        }

        private static final String IDLE_FAR = "100000000";

        List<String> next(SplittableRandom r) {
            List<String> c = new ArrayList<>();
            String key = key(r);
            String group = GROUPS[r.nextInt(r.nextInt(8) == 0 ? 3 : 2)];
            String consumer = CONSUMERS[r.nextInt(CONSUMERS.length)];
            int kind = r.nextInt(100);
            if (kind < 38) {
                c.addAll(List.of("XADD", key));
                if (r.nextInt(12) == 0) {
                    c.add("NOMKSTREAM");
                }
                if (r.nextInt(5) == 0) {
                    trimOptions(r, c);
                }
                c.add(addId(r));
                int pairs = 1 + r.nextInt(r.nextInt(4) == 0 ? 3 : 1);
                for (int i = 0; i < pairs; i++) {
                    c.add(pick(r, "f1", "f2", "f3", "12"));
                    c.add(value(r));
                }
                if (r.nextInt(60) == 0) {
                    c.removeLast();
                }
            } else if (kind < 43) {
                c.addAll(List.of(pick(r, "XRANGE", "XREVRANGE"), key, bound(r, true), bound(r, false)));
                if (c.getFirst().equals("XREVRANGE")) {
                    java.util.Collections.swap(c, 2, 3);
                }
                if (r.nextInt(2) == 0) {
                    c.addAll(List.of("COUNT", Integer.toString(r.nextInt(12) - 1)));
                }
            } else if (kind < 45) {
                c.addAll(List.of("XLEN", key));
            } else if (kind < 49) {
                c.addAll(List.of("XDEL", key));
                for (int i = r.nextInt(3); i >= 0; i--) {
                    c.add(id(r));
                }
            } else if (kind < 52) {
                c.addAll(List.of("XTRIM", key));
                trimOptions(r, c);
            } else if (kind < 53) {
                c.addAll(List.of("XSETID", key, r.nextInt(4) == 0 ? id(r) : (clock + r.nextInt(3)) + "-" + r.nextInt(3)));
                if (r.nextInt(3) == 0) {
                    c.addAll(List.of("ENTRIESADDED", Integer.toString(r.nextInt(2000) - 1)));
                }
                if (r.nextInt(3) == 0) {
                    c.addAll(List.of("MAXDELETEDID", id(r)));
                }
            } else if (kind < 58) {
                switch (r.nextInt(6)) {
                    case 0, 1 -> {
                        c.addAll(List.of("XGROUP", "CREATE", key, group, r.nextInt(3) == 0 ? "$" : id(r)));
                        if (r.nextInt(2) == 0) {
                            c.add("MKSTREAM");
                        }
                        if (r.nextInt(4) == 0) {
                            c.addAll(List.of("ENTRIESREAD", Integer.toString(r.nextInt(50) - 2)));
                        }
                    }
                    case 2 -> {
                        c.addAll(List.of("XGROUP", "SETID", key, group, r.nextInt(3) == 0 ? "$" : id(r)));
                        if (r.nextInt(3) == 0) {
                            c.addAll(List.of("ENTRIESREAD", Integer.toString(r.nextInt(50) - 2)));
                        }
                    }
                    case 3 -> c.addAll(List.of("XGROUP", r.nextInt(6) == 0 ? "DESTROY" : "CREATECONSUMER", key, group));
                    default -> c.addAll(List.of("XGROUP", pick(r, "CREATECONSUMER", "DELCONSUMER"), key, group, consumer));
                }
                if (c.get(1).equals("DESTROY") && c.size() > 4) {
                    c.removeLast();
                }
                if (c.get(1).equals("CREATECONSUMER") && c.size() == 4) {
                    c.add(consumer);
                }
            } else if (kind < 70) {
                c.addAll(List.of("XREADGROUP", "GROUP", group, consumer));
                if (r.nextInt(2) == 0) {
                    c.addAll(List.of("COUNT", Integer.toString(r.nextInt(8))));
                }
                if (r.nextInt(6) == 0) {
                    c.add("NOACK");
                }
                c.add("STREAMS");
                c.add(key);
                boolean two = r.nextInt(6) == 0;
                if (two) {
                    c.add(KEYS[r.nextInt(3)]);
                }
                c.add(r.nextInt(4) == 0 ? id(r) : ">");
                if (two) {
                    c.add(r.nextInt(4) == 0 ? "0" : ">");
                }
            } else if (kind < 74) {
                c.addAll(List.of("XREAD", "COUNT", Integer.toString(r.nextInt(6)), "STREAMS", key, r.nextInt(5) == 0 ? "$" : id(r)));
            } else if (kind < 80) {
                c.addAll(List.of("XACK", key, group));
                for (int i = r.nextInt(3); i >= 0; i--) {
                    c.add(id(r));
                }
            } else if (kind < 86) {
                c.addAll(List.of("XPENDING", key, group));
                if (r.nextInt(3) > 0) {
                    if (r.nextInt(4) == 0) {
                        c.addAll(List.of("IDLE", pick(r, "0", IDLE_FAR)));
                    }
                    c.addAll(List.of(bound(r, true), bound(r, false), Integer.toString(r.nextInt(10) - 1)));
                    if (r.nextInt(3) == 0) {
                        c.add(consumer);
                    }
                }
            } else if (kind < 91) {
                c.addAll(List.of("XCLAIM", key, group, consumer, pick(r, "0", "0", IDLE_FAR, "-5")));
                for (int i = r.nextInt(3); i >= 0; i--) {
                    c.add(id(r));
                }
                if (r.nextInt(3) == 0) {
                    c.add("FORCE");
                }
                if (r.nextInt(3) == 0) {
                    c.add("JUSTID");
                }
                if (r.nextInt(4) == 0) {
                    c.addAll(List.of("RETRYCOUNT", Integer.toString(r.nextInt(5))));
                }
                if (r.nextInt(5) == 0) {
                    c.addAll(List.of(pick(r, "IDLE", "TIME"), pick(r, "0", "1", "5000")));
                }
                if (r.nextInt(6) == 0) {
                    c.addAll(List.of("LASTID", id(r)));
                }
            } else if (kind < 95) {
                c.addAll(List.of("XAUTOCLAIM", key, group, consumer, pick(r, "0", "0", IDLE_FAR), bound(r, true)));
                if (r.nextInt(2) == 0) {
                    c.addAll(List.of("COUNT", Integer.toString(r.nextInt(6))));
                }
                if (r.nextInt(3) == 0) {
                    c.add("JUSTID");
                }
            } else if (kind < 99) {
                switch (r.nextInt(4)) {
                    case 0 -> c.addAll(List.of("XINFO", "STREAM", key));
                    case 1 -> c.addAll(List.of("XINFO", "STREAM", key, "FULL", "COUNT", Integer.toString(r.nextInt(4))));
                    case 2 -> c.addAll(List.of("XINFO", "GROUPS", key));
                    default -> c.addAll(List.of("XINFO", "CONSUMERS", key, group));
                }
            } else {
                c.addAll(r.nextInt(3) == 0 ? List.of("DEL", key) : List.of(pick(r, "SET", "SET", "TYPE"), pick(r, "str", "nokey")));
                if (c.getFirst().equals("SET")) {
                    c.add("x");
                } else if (c.getFirst().equals("TYPE")) {
                    c.set(1, key);
                }
            }
            return c;
        }
    }

    @Test
    void fuzzedStreamCommandsAnswerAsRedisDoes() throws Exception {
        Generator generator = new Generator();
        ByteExactClient.withBoth(dir, (a, b) -> DifferentialFuzzer.run("stream", DifferentialFuzzer.seed(),
                DifferentialFuzzer.commands(20_000), a, b, generator::next, StreamCommandsTest::normalize));
    }
}

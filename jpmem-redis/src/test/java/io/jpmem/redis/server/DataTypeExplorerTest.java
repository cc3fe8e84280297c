package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.explorer.Explorer;
import io.jpmem.explorer.Scenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-fail explorer over the mutating commands of the bitmap, HyperLogLog, stream (XADD with
 * trimming, XREADGROUP, XACK, XGROUP DESTROY) and newer keyspace commands, each run as one
 * event-loop round (one heap transaction) on the engine of {@link RedisExplorerTest}: every crash image must recover to the state before or after the command.
 */
class DataTypeExplorerTest {

    @TempDir
    Path dir;

    private static Scenario command(String name, String[] setUp, String... run) {
        return RedisExplorerTest.command(name, setUp, run);
    }

    @Test
    void dataTypeCommandsRecoverToBeforeOrAfter() {
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(dir));
        long states = 0;
        List<Scenario> scenarios = List.of(
                command("SETBIT-grows", new String[] {"SET b ab", "PEXPIRE b 100000"}, "SETBIT b 100 1"),
                command("BITOP-replace", new String[] {"SET x abc", "SET y zz", "RPUSH d old"}, "BITOP XOR d x y"),
                command("BITFIELD", new String[] {"SET b abcd"}, "BITFIELD b SET u8 0 200 INCRBY i5 #3 7 OVERFLOW SAT INCRBY u16 40 9999"),
                command("SORT-STORE-replace", new String[] {"RPUSH l 2 1", "SET w_1 9", "SET d old"}, "SORT l BY w_* GET # STORE d"),
                command("LMPOP-empties", new String[] {"RPUSH a x", "RPUSH b y z"}, "LMPOP 2 nokey a LEFT COUNT 5"),
                command("ZMPOP", new String[] {"ZADD z 1 a 2 b 3 c"}, "ZMPOP 1 z MAX COUNT 2"),
                command("PFADD-new", new String[] {}, "PFADD h a b c"),
                command("PFMERGE", new String[] {"PFADD a x y", "PFADD b y z"}, "PFMERGE d a b"),
                command("PFCOUNT-caches", new String[] {"PFADD h a b c"}, "PFCOUNT h"),
                command("XADD-trims", new String[] {"XADD s 1 f a", "XADD s 2 f b g c", "XADD s 3 f d"},
                        "XADD s MAXLEN 1 4-* f e"),
                command("XADD-new-stream", new String[] {}, "XADD s 5-1 f v g w"),
                command("XREADGROUP-delivers", new String[] {"XADD s 1 f a", "XADD s 2 f b", "XGROUP CREATE s g 0"},
                        "XREADGROUP GROUP g c STREAMS s >"),
                command("XACK", new String[] {"XADD s 1 f a", "XADD s 2 f b", "XGROUP CREATE s g 0",
                    "XREADGROUP GROUP g c STREAMS s >"}, "XACK s g 1 2"),
                command("XGROUP-DESTROY", new String[] {"XADD s 1 f a", "XGROUP CREATE s g 0",
                    "XREADGROUP GROUP g c STREAMS s >"}, "XGROUP DESTROY s g"));
        for (Scenario scenario : scenarios) {
            Explorer.Report report = explorer.explore(scenario);
            assertEquals(List.of(), report.violations(), scenario.name());
            assertTrue(report.crashStates() > 5, scenario.name() + ": " + report.crashStates());
            states += report.crashStates();
            System.out.println(scenario.name() + ": crash-states=" + report.crashStates());
        }
        System.out.println("data-type crash-states=" + states + " violations=0 seed=" + explorer.options().seed());
    }
}

package io.jpmem.explorer;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explores every foundation scenario and prints {@code crash-states=<N> violations=<M>}. The seed is
 * printed first; {@code -Djpmem.seed=S} replays a run, {@code -Djpmem.explorer.long=true} runs longer.
 */
class ExplorerTest {

    @TempDir
    Path dir;

    private Path workDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jpmem-explorer-") : dir;
    }

    @Test
    void aTornOperationIsReportedWithSeedOperationCrashPointAndDifference() throws IOException {
        Explorer explorer = new Explorer(new Explorer.Options(7, 10, 16, 0, dir));
        Scenario torn = Scenario.of("two-raw-stores-no-transaction", HeapScenarios::twoNodesAndSlots, heap -> {
            heap.putLong(HeapScenarios.slot(heap, 0), 500); // not atomic together: a crash can split them
            heap.putLong(HeapScenarios.slot(heap, 1), 500);
            heap.persist(HeapScenarios.slot(heap, 0), 8);
            heap.persist(HeapScenarios.slot(heap, 1), 8);
        });
        Explorer.Report report = explorer.explore(torn);
        assertFalse(report.violations().isEmpty(), "the explorer must catch a torn update");
        String text = report.violations().get(0).toString();
        assertTrue(text.startsWith("VIOLATION seed=7 operation=two-raw-stores-no-transaction crash-point="), text);
        assertTrue(text.contains("neither before nor after") && text.contains("unexpected"), text);
        Explorer.Report again = new Explorer(new Explorer.Options(7, 10, 16, 0, dir)).explore(torn);
        assertEquals(report, again, "the same seed replays the same run");
    }

    @Test
    void foundationOperationsRecoverToBeforeOrAfterFromEveryCrashState() throws IOException {
        Path work = workDirectory();
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(work));
        System.out.println("explorer seed=" + explorer.options().seed() + " (replay with -Djpmem.seed="
                + explorer.options().seed() + ")");
        long states = 0;
        List<Explorer.Violation> violations = new ArrayList<>();
        try {
            for (Scenario scenario : HeapScenarios.all()) {
                Explorer.Report report = explorer.explore(scenario);
                System.out.println("  " + report.scenario() + ": crash-points=" + report.crashPoints()
                        + " crash-states=" + report.crashStates() + " violations=" + report.violations().size());
                assertTrue(report.crashPoints() > 0, report.scenario() + " has no crash point");
                states += report.crashStates();
                violations.addAll(report.violations());
            }
        } finally {
            if (!work.equals(dir)) {
                try (var files = Files.list(work)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(work);
            }
        }
        System.out.println("crash-states=" + states + " violations=" + violations.size());
        assertEquals(List.of(), violations);
        assertTrue(states >= 100_000, "CI explores at least 100,000 crash states, not " + states);
    }
}

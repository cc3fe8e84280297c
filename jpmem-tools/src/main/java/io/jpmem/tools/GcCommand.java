package io.jpmem.tools;

import io.jpmem.heap.HeapCorruptedException;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.RecoveryReport;
import io.jpmem.persist.Durability;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jpmem gc HEAP}: the recovery GC, offline. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Run the recovery GC on a heap offline: open it read-write (recovering it if needed), "
                + "free every block the roots do not reach, and report what was reclaimed.",
                "The GC only reclaims leaks of the application (blocks unlinked but never freed): allocation is "
                        + "transactional, so a crash never leaks. Takes the heap's exclusive lock.",
                "Exit code 0: done. 1: the heap is corrupt (nothing freed). 2: not a usable heap."})
final class GcCommand implements Callable<Integer> {

    @Parameters(paramLabel = "HEAP", description = "the heap file")
    Path heapPath;

    @Option(names = "--durability", description = "power or process (default: ${DEFAULT-VALUE})", defaultValue = "power",
            converter = DurabilityConverter.class)
    Durability durability = Durability.POWER;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HeapOptions options = HeapOptions.defaults().withDurability(durability).withRecoveryGc(false);
        try (PersistentHeap heap = PersistentHeap.open(heapPath, options)) {
            RecoveryReport opened = heap.recoveryReport();
            if (!opened.closedCleanly()) {
                out.println("recovered: " + opened.summary());
            }
            RecoveryReport gc = heap.collectGarbage();
            out.printf("gc: %d blocks reachable, %d unreachable blocks freed (%s) in %d ms%n", gc.liveBlocks(),
                    gc.reclaimedBlocks(), PersistentHeap.formatBytes(gc.reclaimedBytes()), gc.duration().toMillis());
            out.flush();
            return 0;
        } catch (HeapOpenException e) {
            out.println("unusable: " + e.getMessage());
            out.flush();
            return e.reason() == HeapOpenException.Reason.CORRUPT ? 1 : 2;
        } catch (HeapCorruptedException e) {
            out.println("corrupt: " + e.getMessage());
            out.flush();
            return 1;
        }
    }
}

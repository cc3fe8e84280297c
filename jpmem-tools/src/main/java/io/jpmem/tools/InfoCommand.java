package io.jpmem.tools;

import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapInfo;
import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.PersistenceDomain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jpmem info HEAP}. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a heap's header, sizes, mode, roots and type table.%n"
                + "Opens the file read-only under a shared lock; never writes to it.")
final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "HEAP", description = "the heap file")
    Path heapPath;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PersistentHeap heap = PersistentHeap.openReadOnly(heapPath)) {
            print(out, heap.info());
            return 0;
        } catch (HeapOpenException e) {
            spec.commandLine().getErr().println("jpmem info: " + e.getMessage());
            return 2;
        }
    }

    static void print(PrintWriter out, HeapInfo info) {
        HeapLayout layout = info.layout();
        out.printf("heap           %s%n", info.path());
        out.printf("format         version %d, heap id %s%n", info.formatVersion(), info.heapId());
        out.printf("created        %s%n", info.createdAt());
        out.printf("shutdown       %s%n", info.closedCleanly() ? "clean" + (info.lastCloseAt() == null ? "" : " (" + info.lastCloseAt() + ")")
                : "NOT clean: the last run did not close it; recovery runs at the next read-write open");
        out.printf("opens          %d read-write (header sequence %d, copy %s)%n", info.openCount(), info.headerSequence(),
                info.headerCopy());
        out.printf("mode           %s, durability %s (%s); libpmem %s%n", info.accessMode(), info.durability(),
                info.mechanism().label(), PersistenceDomain.libpmemAvailable() ? "installed" : "not installed");
        out.printf("size           max %s (%d bytes); on disk %s%n", PersistentHeap.formatBytes(layout.maxByteSize()),
                layout.maxByteSize(), info.bytesOnDisk().isPresent()
                        ? PersistentHeap.formatBytes(info.bytesOnDisk().getAsLong()) + " (" + info.bytesOnDisk().getAsLong() + " bytes, sparse)"
                        : "unknown");
        out.printf("layout         %-12s @ %-10d %s%n", "type table", layout.typeTableOffset(), PersistentHeap.formatBytes(layout.typeTableByteSize()));
        out.printf("               %-12s @ %-10d %d slots%n", "root table", layout.rootTableOffset(), layout.rootSlotCount());
        out.printf("               %-12s @ %-10d %d slots of %s%n", "log area", layout.logAreaOffset(), layout.logSlotCount(),
                PersistentHeap.formatBytes(layout.logSlotByteSize()));
        out.printf("               %-12s @ %-10d %d entries%n", "chunk table", layout.chunkTableOffset(), layout.chunkCount());
        out.printf("               %-12s @ %-10d %d chunks of %s%n", "object area", layout.objectAreaOffset(), layout.chunkCount(),
                PersistentHeap.formatBytes(layout.chunkByteSize()));
        var allocation = info.allocation();
        out.printf("allocation     %d blocks in %s of slots; free %s (%s in whole chunks); fragmentation %.1f%%%n",
                allocation.allocatedBlocks(), PersistentHeap.formatBytes(allocation.allocatedSlotBytes() + allocation.largeBytes()),
                PersistentHeap.formatBytes(allocation.availableBytes()), PersistentHeap.formatBytes(allocation.freeChunkBytes()),
                100 * allocation.fragmentation());
        out.printf("roots          %d%n", info.roots().size());
        for (Map.Entry<String, Long> root : info.roots().entrySet()) {
            out.printf("  %-30s -> %s%n", root.getKey(), root.getValue() == 0 ? "null" : "0x" + Long.toHexString(root.getValue()));
        }
        out.printf("types          %d%n", info.types().size());
        for (HeapType type : info.types()) {
            var l = type.layout();
            out.printf("  %3d %s  %s, fingerprint %016x%n", type.id(), l.className(),
                    l.shape() == io.jpmem.heap.TypeLayout.Shape.ARRAY ? "array of " + l.elementKind()
                            : "record of " + l.instanceByteSize() + " bytes", type.fingerprint());
            for (FieldLayout field : l.fields()) {
                out.printf("        @%-4d %-7s %s%n", field.offset(), field.kind(), field.name());
            }
        }
        for (String note : info.notes()) {
            out.printf("note           %s%n", note);
        }
        out.flush();
    }
}

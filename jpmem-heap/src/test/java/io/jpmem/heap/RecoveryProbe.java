package io.jpmem.heap;

import io.jpmem.heap.internal.Allocator;
import io.jpmem.heap.internal.HeaderSelection;
import io.jpmem.heap.internal.HeapLayout;
import io.jpmem.heap.internal.LogSlot;
import io.jpmem.persist.Durability;
import io.jpmem.persist.PersistenceDomain;
import io.jpmem.persist.SimulatedDomain;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Runs the log-slot recovery of a heap file on a SIMULATED domain and records the crash images along the way. */
final class RecoveryProbe {

    private RecoveryProbe() {}

    static void imagesDuringOpen(Path file, List<byte[]> images) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            HeaderSelection.Selected selected = (HeaderSelection.Selected) HeaderSelection.select(channel);
            HeapLayout layout = selected.header().layout();
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, layout.maxByteSize(), arena);
            SimulatedDomain domain = (SimulatedDomain) PersistenceDomain.of(Durability.SIMULATED, mapping, false);
            domain.onEvent(event -> {
                images.add(domain.crashImage(word -> true));
                images.add(domain.crashImage(word -> false));
            });
            Allocator allocator = new Allocator(domain, layout);
            for (int i = 0; i < layout.logSlotCount(); i++) {
                new LogSlot(i, domain, layout, allocator).recover();
            }
        }
    }
}

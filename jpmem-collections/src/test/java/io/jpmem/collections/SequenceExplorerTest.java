package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.explorer.Explorer;
import io.jpmem.explorer.Scenario;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-fail explorer over every mutating operation of PString, PBytes, PList and PDeque, growth
 * steps included: each crash image (at every store and fence, with any subset of the unflushed words)
 * must recover to the state before or after the operation, with a clean heap check. Set-up registers
 * every type first (type registration is outside transactions), and values are copies so that
 * allocation and free are explored too.
 */
class SequenceExplorerTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static <T> T root(PersistentHeap heap, String name, Class<?> type) {
        return (T) ObjectSpace.of(heap).root(name, type);
    }

    private static PList<Object> list(PersistentHeap heap) {
        return root(heap, "list", PList.class);
    }

    private static PDeque<Object> deque(PersistentHeap heap) {
        return root(heap, "deque", PDeque.class);
    }

    private static PBytes bytes(PersistentHeap heap) {
        return root(heap, "bytes", PBytes.class);
    }

    /** A list of {@code n} values (Longs, and a String at 1), slots grown to capacity 8 and more. */
    private static Consumer<PersistentHeap> listOf(int n) {
        return heap -> heap.transaction(tx -> {
            PList<Object> list = new PList<>();
            ObjectSpace.of(heap).setRoot("list", list);
            for (long i = 0; i < n; i++) {
                list.add(i == 1 ? "one" : (Object) i);
            }
        });
    }

    /** A deque of chunks of 2, filled from both ends so that its ring wraps. */
    private static Consumer<PersistentHeap> dequeOf(int n) {
        return heap -> heap.transaction(tx -> {
            PDeque<Object> deque = new PDeque<>(2);
            ObjectSpace.of(heap).setRoot("deque", deque);
            deque.addLast("x"); // registers every type
            deque.clear();
            for (long i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    deque.addLast(i);
                } else {
                    deque.addFirst("s" + i);
                }
            }
        });
    }

    private static Consumer<PersistentHeap> bytesOf(int n) {
        return heap -> heap.transaction(tx -> {
            PBytes bytes = new PBytes(new byte[] {9});
            ObjectSpace.of(heap).setRoot("bytes", bytes);
            bytes.setLength(n);
            for (int i = 0; i < n; i++) {
                bytes.set(i, (byte) (i + 1));
            }
        });
    }

    static List<Scenario> scenarios() {
        List<Scenario> s = new ArrayList<>();
        // PList: 3 elements in 8 slots; 8 elements fill them (the next add grows)
        s.add(Scenario.of("plist-add", listOf(3), heap -> list(heap).add(42L)));
        s.add(Scenario.of("plist-add-growth", listOf(8), heap -> list(heap).add("nine")));
        s.add(Scenario.of("plist-insert-front", listOf(5), heap -> list(heap).add(0, "front")));
        s.add(Scenario.of("plist-set", listOf(3), heap -> list(heap).set(1, "replaced")));
        s.add(Scenario.of("plist-remove", listOf(5), heap -> list(heap).remove(1)));
        s.add(Scenario.of("plist-sublist-clear", listOf(6), heap -> list(heap).subList(1, 4).clear()));
        s.add(Scenario.of("plist-clear", listOf(4), heap -> list(heap).clear()));
        s.add(Scenario.of("plist-addall", listOf(6), heap -> list(heap).addAll(List.of("a", 7L, "b"))));
        // PDeque with chunks of 2: 3 elements in a ring of 4, 4 fill it
        s.add(Scenario.of("pdeque-addlast-new-chunk", dequeOf(3), heap -> deque(heap).addLast(10L)));
        s.add(Scenario.of("pdeque-addfirst", dequeOf(1), heap -> deque(heap).addFirst("f")));
        s.add(Scenario.of("pdeque-growth-split", dequeOf(4), heap -> deque(heap).addFirst("grow")));
        s.add(Scenario.of("pdeque-pollfirst-frees-chunk", dequeOf(4), heap -> deque(heap).pollFirst()));
        s.add(Scenario.of("pdeque-polllast", dequeOf(3), heap -> deque(heap).pollLast()));
        s.add(Scenario.of("pdeque-set", dequeOf(3), heap -> deque(heap).set(1, "set")));
        s.add(Scenario.of("pdeque-insert", dequeOf(5), heap -> deque(heap).insert(3, "mid")));
        s.add(Scenario.of("pdeque-removeat", dequeOf(5), heap -> deque(heap).removeAt(2)));
        s.add(Scenario.of("pdeque-trim", dequeOf(6), heap -> deque(heap).trim(1, 4)));
        s.add(Scenario.of("pdeque-clear", dequeOf(4), heap -> deque(heap).clear()));
        s.add(Scenario.of("pdeque-removeoccurrences", heap -> {
            dequeOf(5).accept(heap);
            deque(heap).addLast("s3");
        }, heap -> deque(heap).removeOccurrences("s3", 0)));
        // PBytes: 20 bytes in 24
        s.add(Scenario.of("pbytes-append", bytesOf(20), heap -> bytes(heap).append(new byte[] {1, 2, 3})));
        s.add(Scenario.of("pbytes-append-growth", bytesOf(20), heap -> bytes(heap).append(new byte[30])));
        s.add(Scenario.of("pbytes-setrange-past-end", bytesOf(20), heap -> bytes(heap).setRange(22, new byte[] {7, 7}, 0, 2)));
        s.add(Scenario.of("pbytes-truncate", bytesOf(20), heap -> bytes(heap).setLength(12)));
        s.add(Scenario.of("pbytes-copyfrom-shrink", bytesOf(20), heap -> bytes(heap).copyFrom(new byte[] {5})));
        // PString: creation linked in the same transaction, and free
        s.add(Scenario.of("pstring-new-and-link", listOf(2), heap -> heap.transaction(tx -> list(heap).add(new PString("héllo")))));
        s.add(Scenario.of("pstring-free-and-unlink", heap -> {
            listOf(2).accept(heap);
            heap.transaction(tx -> list(heap).add(new PString("bye")));
        }, heap -> heap.transaction(tx -> ((PString) list(heap).remove(2)).free())));
        return s;
    }

    /** A tmpfs when there is one: every crash image is written to a file and opened. */
    private Path workDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "jpmem-seq-explorer-") : dir;
    }

    @Test
    void everyMutationRecoversToBeforeOrAfter() throws IOException {
        Path work = workDirectory();
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(work));
        System.out.println("sequences explorer seed=" + explorer.options().seed());
        long states = 0;
        try {
            for (Scenario scenario : scenarios()) {
                Explorer.Report report = explorer.explore(scenario);
                System.out.println("  " + report.scenario() + ": crash-points=" + report.crashPoints()
                        + " crash-states=" + report.crashStates() + " violations=" + report.violations().size());
                assertEquals(List.of(), report.violations(), scenario.name());
                assertTrue(report.crashStates() > 5, scenario.name() + ": " + report.crashStates());
                states += report.crashStates();
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
        System.out.println("sequences crash-states=" + states + " violations=0 seed=" + explorer.options().seed());
    }
}

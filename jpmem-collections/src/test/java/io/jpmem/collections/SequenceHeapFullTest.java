package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapFullException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full heap (Redis's -OOM): the operation that does not fit throws {@link HeapFullException} and leaves
 * nothing partly written — the collection as before it, a clean check, no leaked block — and the
 * collection goes on working once room is made.
 */
class SequenceHeapFullTest {

    @TempDir
    Path dir;

    @Test
    void anOperationThatDoesNotFitChangesNothing() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("full.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(512 << 10))) {
            ObjectSpace space = ObjectSpace.of(heap);
            PDeque<byte[]> deque = heap.transactionResult(tx -> new PDeque<>());
            PList<byte[]> list = heap.transactionResult(tx -> new PList<>());
            PBytes bytes = heap.transactionResult(tx -> new PBytes());
            space.setRoot("deque", deque);
            space.setRoot("list", list);
            space.setRoot("bytes", bytes);
            byte[] value = new byte[1000];
            long pushed = 0;
            HeapFullException full = null;
            while (full == null) {
                int sizeBefore = deque.size();
                try {
                    value[0] = (byte) pushed;
                    if (pushed % 3 == 0) {
                        list.add(value);
                    } else {
                        deque.addLast(value);
                    }
                    pushed++;
                } catch (HeapFullException e) {
                    full = e;
                    assertEquals(sizeBefore, deque.size(), "the failed push left the deque as it was");
                }
            }
            assertEquals(pushed, deque.size() + list.size());
            assertThrows(HeapFullException.class, () -> bytes.append(new byte[300 << 10]));
            assertEquals(0, bytes.length());
            assertEquals(List.of(), heap.check());
            assertEquals(0, heap.unreachableBlocks(), "a failed operation leaks nothing");
            for (int i = 0; i < deque.size(); i++) {
                assertEquals((byte) (i + i / 2 + 1), deque.get(i)[0], "element " + i + " intact");
            }
            deque.trim(0, deque.size() / 2); // make room: the deque works again
            deque.addFirst(new byte[] {42});
            assertArrayEquals(new byte[] {42}, deque.peekFirst());
            assertEquals(List.of(), heap.check());
        }
    }
}

package io.jpmem.collections;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ObjectSpace#overwriteValueCopy}: in place for the same boxed class only, logged, rolled back with its transaction. */
class ValueCopyOverwriteTest {

    @TempDir
    Path dir;

    private static boolean overwrite(PersistentHeap heap, long ref, Object value) {
        Boolean done = heap.transactionResult(tx -> ObjectSpace.of(heap).overwriteValueCopy(tx, ref, value));
        return done;
    }

    @Test
    void aBoxedCopyIsOverwrittenInPlaceOnlyByTheSameClass() {
        try (PersistentHeap heap = PersistentHeap.create(dir.resolve("copies.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(4L << 20))) {
            ObjectSpace space = ObjectSpace.of(heap);
            long longCopy = heap.transactionResult(tx -> space.store(tx, 7L, "test"));
            long stringCopy = heap.transactionResult(tx -> space.store(tx, "seven", "test"));
            heap.roots().create("long", longCopy);
            heap.roots().create("string", stringCopy);
            assertTrue(overwrite(heap, longCopy, 8L));
            assertEquals(8L, space.load(longCopy));
            assertFalse(overwrite(heap, longCopy, 9), "Integer over Long");
            assertFalse(overwrite(heap, longCopy, "9"));
            assertFalse(overwrite(heap, longCopy, null));
            assertFalse(overwrite(heap, stringCopy, "eight"), "strings never");
            assertFalse(overwrite(heap, 0, 1L));
            assertEquals(8L, space.load(longCopy));
            assertThrows(IllegalStateException.class, () -> heap.transaction(tx -> {
                space.overwriteValueCopy(tx, longCopy, 99L);
                throw new IllegalStateException("roll back");
            }));
            assertEquals(8L, space.load(longCopy), "the store is logged: a rollback restores it");
            assertEquals(List.of(), heap.check());
        }
    }
}

package io.jpmem.collections;

import static io.jpmem.collections.SeqTesting.options;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentIntArray;
import io.jpmem.objects.Wrap;
import io.jpmem.persist.Durability;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the object runtime wraps existing blocks: the wrapping constructor {@code (Wrap, ObjectSpace,
 * long)} of every hand-written persistent class, and {@code $jpmemBind}, refuse a null or forged
 * {@code Wrap}, so no caller can make a second, non-canonical handle on an arbitrary block.
 */
class WrapTokenTest {

    @TempDir
    Path dir;

    private static Wrap forged() throws Exception {
        Constructor<Wrap> constructor = Wrap.class.getDeclaredConstructor();
        constructor.setAccessible(true); // possible on the class path; the token is still not the runtime's
        return constructor.newInstance();
    }

    @Test
    void wrappingConstructorsRefuseANullOrForgedToken() throws Exception {
        try (PersistentHeap heap = PersistentHeap.openOrCreate(dir.resolve("wrap.heap"), options(Durability.PROCESS))) {
            ObjectSpace space = ObjectSpace.of(heap);
            PHashMap<String, String> map = heap.transactionResult(tx -> {
                PHashMap<String, String> m = new PHashMap<>();
                m.put("k", "v");
                return m;
            });
            long block = map.$jpmemRef();
            Wrap forged = forged();
            List<Function<Wrap, Object>> wrappers = List.of(
                    w -> new PHashMap<>(w, space, block), w -> new PHashSet<>(w, space, block),
                    w -> new PList<>(w, space, block), w -> new PDeque<>(w, space, block),
                    w -> new PString(w, space, block), w -> new PBytes(w, space, block),
                    w -> new PSortedMap<>(w, space, block), w -> new PersistentIntArray(w, space, block));
            for (Function<Wrap, Object> wrapper : wrappers) {
                IllegalArgumentException noToken = assertThrows(IllegalArgumentException.class, () -> wrapper.apply(null));
                assertTrue(noToken.getMessage().startsWith("a null Wrap"), noToken.getMessage());
                IllegalArgumentException forgedToken = assertThrows(IllegalArgumentException.class, () -> wrapper.apply(forged));
                assertTrue(forgedToken.getMessage().startsWith("a forged Wrap"), forgedToken.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> map.$jpmemBind(null, space, 8));
            assertThrows(IllegalArgumentException.class, () -> map.$jpmemBind(forged, space, 8));
            assertEquals(block, map.$jpmemRef(), "a refused bind leaves the handle as it was");
            assertEquals("v", map.get("k"));
            assertSame(map, space.load(block), "the runtime still makes the one canonical handle");
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void theRuntimeWrapsBlocksAfterReopen() {
        Path file = dir.resolve("reopen.heap");
        try (PersistentHeap heap = PersistentHeap.openOrCreate(file, options(Durability.PROCESS))) {
            heap.transaction(tx -> {
                PList<Object> list = new PList<>();
                list.add("a");
                ObjectSpace.of(heap).setRoot("list", list);
            });
        }
        try (PersistentHeap heap = PersistentHeap.openOrCreate(file, options(Durability.PROCESS))) {
            PList<?> list = ObjectSpace.of(heap).root("list", PList.class);
            assertEquals(List.of("a"), list);
            assertSame(list, ObjectSpace.of(heap).root("list", PList.class));
        }
    }
}

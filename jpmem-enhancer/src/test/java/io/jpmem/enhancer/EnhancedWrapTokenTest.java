package io.jpmem.enhancer;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.persist.Durability;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrapping constructor and {@code $jpmemBind} the enhancer generates refuse a null or forged Wrap. */
class EnhancedWrapTokenTest {

    @TempDir
    Path dir;

    @Test
    void generatedWrappingConstructorsAndBindRefuseANullOrForgedToken() throws Exception {
        EnhancingClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        Constructor<Wrap> forge = Wrap.class.getDeclaredConstructor();
        forge.setAccessible(true);
        Wrap forged = forge.newInstance();
        try (PersistentHeap heap = PersistentHeap.openOrCreate(dir.resolve("h.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(4 << 20))) {
            ObjectSpace space = ObjectSpace.of(heap);
            Class<?> node = loader.loadClass("io.jpmem.enhancer.sample.Node");
            Object made = heap.transactionResult(tx -> {
                try {
                    return node.getConstructor(long.class).newInstance(42L);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
            long block = ((PersistentObject) made).$jpmemRef();
            for (String name : new String[] {"io.jpmem.enhancer.sample.Node", "io.jpmem.enhancer.sample.Dog"}) {
                Constructor<?> wrapping = loader.loadClass(name).getConstructor(Wrap.class, ObjectSpace.class, long.class);
                for (Wrap bad : new Wrap[] {null, forged}) {
                    InvocationTargetException e = assertThrows(InvocationTargetException.class,
                            () -> wrapping.newInstance(bad, space, block), name);
                    assertInstanceOf(IllegalArgumentException.class, e.getCause(), name);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> ((PersistentObject) made).$jpmemBind(null, space, 8));
            assertThrows(IllegalArgumentException.class, () -> ((PersistentObject) made).$jpmemBind(forged, space, 8));
            assertEquals(block, ((PersistentObject) made).$jpmemRef(), "a refused bind leaves the handle as it was");
            assertEquals(42L, node.getMethod("id").invoke(made));
            assertSame(made, space.load(block), "the runtime's handle is still the canonical one");
        }
    }
}

package io.jpmem.enhancer;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enhancer on sample classes, loaded through an enhancing class loader (as the agent does). */
class EnhancerTest {

    @TempDir
    Path dir;

    private static Object call(ClassLoader loader, String method, Object... args) throws Exception {
        Class<?> program = loader.loadClass("io.jpmem.enhancer.sample.Program");
        for (Method m : program.getMethods()) {
            if (m.getName().equals(method)) {
                ClassLoader previous = Thread.currentThread().getContextClassLoader();
                Thread.currentThread().setContextClassLoader(loader); // as the agent's application loader would be
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                } finally {
                    Thread.currentThread().setContextClassLoader(previous);
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    private PersistentHeap heap(Path file) {
        return PersistentHeap.openOrCreate(file, HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(4 << 20));
    }

    @Test
    void persistentObjectsSurviveReopenWithTheirFieldsAndIdentity() throws Exception {
        Path file = dir.resolve("list.heap");
        try (PersistentHeap heap = heap(file)) {
            assertEquals(3L, call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "addNodes", heap, 3));
            assertEquals(List.of(), heap.check());
        }
        try (PersistentHeap heap = heap(file)) {
            ClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
            String description = (String) call(loader, "describe", heap);
            assertEquals("nodes=3 [1/1/0.5/b/false/-1/1/0.25/0, 2/1/1.0/c/true/-2/2/0.5/0, 3/1/1.5/d/false/-3/3/0.75/0]",
                    description, "fields, initializers and transient fields (reset to 0 in wrapped handles)");
            assertEquals(true, call(loader, "identityHolds", heap), "== on handles of the same block");
            assertEquals(5L, call(loader, "addNodes", heap, 2));
            assertTrue(((String) call(loader, "describe", heap)).startsWith("nodes=5 "));
            assertEquals(0, heap.unreachableBlocks());
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void stringAndBoxedFieldsAreImmutableCopiesFreedWhenReplaced() throws Exception {
        Path file = dir.resolve("names.heap");
        long blocksAfterFirstNaming;
        try (PersistentHeap heap = heap(file)) {
            ClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
            call(loader, "addNodes", heap, 3);
            call(loader, "renameAll", heap, "a");
            blocksAfterFirstNaming = heap.allocationStats().allocatedBlocks();
            for (int i = 0; i < 5; i++) {
                call(loader, "renameAll", heap, "b" + i);
            }
            assertEquals(blocksAfterFirstNaming, heap.allocationStats().allocatedBlocks(), "old copies are freed");
        }
        try (PersistentHeap heap = heap(file)) {
            ClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
            assertEquals("b4-1-é=1000 b4-2-é=2000 b4-3-é=3000", call(loader, "names", heap));
            call(loader, "clearNames", heap);
            assertEquals("null=null null=null null=null", call(loader, "names", heap));
            assertEquals(blocksAfterFirstNaming - 6, heap.allocationStats().allocatedBlocks(), "cleared copies are freed");
            assertEquals(0, heap.unreachableBlocks());
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void persistentArraysInFieldsSurviveReopen() throws Exception {
        Path file = dir.resolve("arrays.heap");
        try (PersistentHeap heap = heap(file)) {
            call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "makeArrays", heap, 4);
        }
        try (PersistentHeap heap = heap(file)) {
            assertEquals("0:100 10:101 20:102 30:103 true", call(new EnhancingClassLoader("io.jpmem.enhancer.sample."),
                    "readArrays", heap));
            assertEquals(0, heap.unreachableBlocks());
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void persistentSubclassesKeepTheirSuperclassFieldsAndRuntimeClass() throws Exception {
        Path file = dir.resolve("dog.heap");
        try (PersistentHeap heap = heap(file)) {
            call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "makeDog", heap);
        }
        try (PersistentHeap heap = heap(file)) {
            assertEquals("Dog:rex/3/3/tweety/2", call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "readDog", heap),
                    "the root, read as an Animal, comes back as a Dog with every field");
            assertEquals(List.of(), heap.check());
        }
        EnhancingClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        byte[] dog = loader.enhancer.enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/Dog").orElseThrow()).orElseThrow();
        assertTrue(loader.enhancer.enhance(dog).isEmpty(), "a subclass is not enhanced twice either");
    }

    @Test
    void recordsKeepTheirComponentsAndTheirEqualsHashCodeAndToString() throws Exception {
        Path file = dir.resolve("point.heap");
        try (PersistentHeap heap = heap(file)) {
            call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "makePoint", heap);
        }
        try (PersistentHeap heap = heap(file)) {
            assertEquals("Point[x=3, y=-4, label=p] x=3 equals=true hash=true",
                    call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "readPoint", heap));
            assertEquals(List.of(), heap.check());
        }
    }

    @Test
    void theReflectiveFactoryAllocatesWithoutRunningConstructors() throws Exception {
        try (PersistentHeap heap = heap(dir.resolve("pnew.heap"))) {
            assertEquals("0/0/null", call(new EnhancingClassLoader("io.jpmem.enhancer.sample."), "pnew", heap),
                    "zeroed: neither the constructor nor the field initializer (hits = 1) ran");
        }
    }

    @Test
    void storingAnObjectOfAnotherHeapIsAClearErrorAndRollsBack() throws Exception {
        try (PersistentHeap heap = heap(dir.resolve("a.heap")); PersistentHeap other = heap(dir.resolve("b.heap"))) {
            ClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> call(loader, "storeForeign", heap, other));
            assertTrue(e.getMessage().startsWith("io.jpmem.enhancer.sample.Node.next: the object lives in another heap"),
                    e.getMessage());
            assertEquals(0, heap.allocationStats().allocatedBlocks(), "the transaction, and its new Node, rolled back");
        }
    }

    @Test
    void unsupportedFieldTypesFailEnhancementNamingClassAndField() {
        EnhancementException array = assertThrows(EnhancementException.class, () -> new EnhancingClassLoader("x").enhancer
                .enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/Unsupported").orElseThrow()));
        assertTrue(array.getMessage().startsWith("io.jpmem.enhancer.sample.Unsupported.names: field type int[]"), array.getMessage());
        assertTrue(array.getMessage().contains("use a persistent array for a Java array"), array.getMessage());
        assertTrue(array.getMessage().contains("make it transient"), array.getMessage());
        EnhancementException list = assertThrows(EnhancementException.class, () -> new EnhancingClassLoader("x").enhancer
                .enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/UnsupportedList").orElseThrow()));
        assertTrue(list.getMessage().startsWith("io.jpmem.enhancer.sample.UnsupportedList.names: field type ArrayList"),
                list.getMessage());
    }

    @Test
    void anInnerClassOfANonPersistentClassThatUsesItsOuterInstanceIsRefused() {
        Enhancer enhancer = new EnhancingClassLoader("x").enhancer;
        EnhancementException inner = assertThrows(EnhancementException.class,
                () -> enhancer.enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/Outer$Inner").orElseThrow()));
        assertEquals("io.jpmem.enhancer.sample.Outer$Inner: a non-static inner class uses its enclosing instance, a Outer,"
                + " which is not @Persistent; make Outer @Persistent, or make the inner class static", inner.getMessage());
        assertTrue(enhancer.enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/Outer$Nested").orElseThrow())
                .isPresent(), "a static nested class is fine");
    }

    @Test
    void enhancedClassesLoseTheirFieldsAndAreNotEnhancedTwice() throws Exception {
        EnhancingClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        Class<?> node = loader.loadClass("io.jpmem.enhancer.sample.Node");
        assertThrows(NoSuchFieldException.class, () -> node.getDeclaredField("id"), "the Java field is gone");
        assertNotNull(node.getDeclaredField("notPersisted"), "transient fields stay");
        assertNotNull(node.getDeclaredField("created"), "static fields stay");
        byte[] once = loader.enhancer.enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/Node").orElseThrow()).orElseThrow();
        assertTrue(loader.enhancer.enhance(once).isEmpty(), "already enhanced");
        byte[] untouched = EnhancingClassLoader.bytesOf("io/jpmem/enhancer/EnhancerTest").orElseThrow();
        assertTrue(loader.enhancer.enhance(untouched).isEmpty(), "a class that touches no persistent field is left alone");
    }

    @Test
    void newOutsideATransactionNeedsADefaultHeap() throws Exception {
        try (PersistentHeap heap = heap(dir.resolve("default.heap"))) {
            ClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
            Class<?> node = loader.loadClass("io.jpmem.enhancer.sample.Node");
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> node.getConstructor(long.class).newInstance(1L));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("no default heap"), e.getCause().getMessage());
            io.jpmem.objects.ObjectSpace.setDefault(heap);
            try {
                Object created = node.getConstructor(long.class).newInstance(5L);
                assertEquals(5L, node.getMethod("id").invoke(created));
                assertTrue(heap.isAllocated(((io.jpmem.objects.PersistentObject) created).$jpmemRef()),
                        "allocated in its own transaction");
            } finally {
                io.jpmem.objects.ObjectSpace.setDefault(null);
            }
        }
    }
}

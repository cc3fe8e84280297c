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

/**
 * Class shapes beyond the basics, each written, reopened in a fresh class loader and read back:
 * non-static inner classes, stores before super() (JDK 25 flexible constructor bodies), generic
 * classes (type-variable fields), interface-typed fields, and arrays of other element kinds.
 */
class EnhancedShapesTest {

    @TempDir
    Path dir;

    /** One class loader per opened heap, as one application run would have (handles are canonical per heap). */
    private ClassLoader loader;

    private Object call(String method, Object... args) throws Exception {
        Class<?> program = loader.loadClass("io.jpmem.enhancer.sample.Shapes");
        for (Method m : program.getMethods()) {
            if (m.getName().equals(method)) {
                ClassLoader previous = Thread.currentThread().getContextClassLoader();
                Thread.currentThread().setContextClassLoader(loader);
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                } finally {
                    Thread.currentThread().setContextClassLoader(previous);
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    private PersistentHeap open(Path file) {
        loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        return PersistentHeap.openOrCreate(file, HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(4 << 20));
    }

    /** Runs {@code make}, then {@code read} on the same heap and again after reopening; both must give {@code expected}. */
    private void roundTrip(String make, String read, String expected) throws Exception {
        Path file = dir.resolve(make + ".heap");
        try (PersistentHeap heap = open(file)) {
            Object made = call(make, heap);
            if (made != null) {
                assertEquals(expected, made, "as constructed");
            }
            assertEquals(expected, call(read, heap), "read back in the same process");
            assertEquals(List.of(), heap.check());
        }
        try (PersistentHeap heap = open(file)) {
            assertEquals(0, heap.recoveryReport().reclaimedBlocks(), "every block is reachable");
            assertEquals(expected, call(read, heap), "read back after reopening");
        }
    }

    @Test
    void anInnerClassKeepsItsOuterInstanceAcrossReopen() throws Exception {
        roundTrip("makeInner", "readInner", "shop:42 true");
    }

    @Test
    void storesBeforeSuperReachTheBlockBeforeTheRestOfTheConstructorRuns() throws Exception {
        // first: value stored early through a branch (|-5|), a String and a reference early, `after` computed from them;
        // copy: wrote 9 into first (an existing object) before its own super(); child: its early store and its superclass's.
        roundTrip("makeEarly", "readEarly", "9/five/cat/4/6 90/copy of five/-/0 7/child/-/8/14");
    }

    @Test
    void genericFieldsHoldPersistentObjectsAndValueCopies() throws Exception {
        roundTrip("makeBoxes", "readBoxes", "dog/4 true héllo 12 k 2.5 [1, 2, 3]");
    }

    @Test
    void replacingAValueInAGenericFieldFreesTheOldCopyButNeverAPersistentObject() throws Exception {
        Path file = dir.resolve("replace.heap");
        try (PersistentHeap heap = open(file)) {
            call("makeBoxes", heap);
            long before = heap.allocationStats().allocatedBlocks();
            assertEquals("back dog/4", call("replaceText", heap, 50));
            assertEquals(before, heap.allocationStats().allocatedBlocks(), "each replaced copy was freed");
            assertEquals(List.of(), heap.check());
            String message = (String) call("storeNonPersistent", heap);
            assertEquals("io.jpmem.enhancer.sample.Box.value: java.lang.StringBuilder is not a @Persistent class (was it"
                    + " enhanced?); only persistent objects can be stored", message);
        }
        try (PersistentHeap heap = open(file)) {
            assertEquals(0, heap.recoveryReport().reclaimedBlocks());
            assertTrue(((String) call("readBoxes", heap)).startsWith("dog/4 true back 12 "), "the refused store left the value");
        }
    }

    @Test
    void interfaceTypedFieldsAndArraysOfOtherKindsSurviveReopen() throws Exception {
        roundTrip("makeDrawing", "readDrawing", "12.0 true Circle=12.0/-1/0.0 Square=9.0/-2/0.5 null/-3/1.0");
    }
}

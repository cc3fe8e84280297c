package io.jpmem.enhancer;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.spi.ValueCopyRule;
import io.jpmem.persist.Durability;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value-copy rule has one error: the enhancer's refusal of a field type at build time and the
 * runtime's refusal of a value stored into a persistent slot say the same after the type's name.
 */
class UnsupportedTypeMessageTest {

    @TempDir
    Path dir;

    @Test
    void theEnhancersBuildTimeErrorAndTheRuntimesErrorSayTheSame() throws Exception {
        EnhancementException build = assertThrows(EnhancementException.class, () -> new EnhancingClassLoader("x").enhancer
                .enhance(EnhancingClassLoader.bytesOf("io/jpmem/enhancer/sample/UnsupportedList").orElseThrow()));
        String buildTime = build.getMessage();

        EnhancingClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        Method store = loader.loadClass("io.jpmem.enhancer.sample.Shapes").getMethod("storeIntoGenericField",
                PersistentHeap.class, Object.class);
        String runTime;
        try (PersistentHeap heap = PersistentHeap.openOrCreate(dir.resolve("h.heap"),
                HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(4 << 20))) {
            runTime = (String) store.invoke(null, heap, new ArrayList<String>());
            assertEquals(java.util.List.of(), heap.check());
        }

        String buildPrefix = "io.jpmem.enhancer.sample.UnsupportedList.names: field type ArrayList";
        String runPrefix = "io.jpmem.enhancer.sample.Box.value: java.util.ArrayList";
        assertTrue(buildTime.startsWith(buildPrefix), buildTime);
        assertTrue(runTime.startsWith(runPrefix), runTime);
        String buildReason = buildTime.substring(buildPrefix.length());
        String runReason = runTime.substring(runPrefix.length());
        assertEquals(ValueCopyRule.NOT_STORABLE, runReason, "the runtime's reason is the rule's");
        assertTrue(buildReason.startsWith(runReason), "the enhancer says what the runtime says, then adds field hints: "
                + buildTime + " / " + runTime);
    }

    @Test
    void theValueClassesAreStringByteArrayAndTheBoxes() {
        for (Class<?> c : new Class<?>[] {String.class, byte[].class, Long.class, Integer.class, Short.class, Byte.class,
                Character.class, Boolean.class, Float.class, Double.class}) {
            assertTrue(ValueCopyRule.isValueClass(c), c.getName());
            assertSame(c, ValueCopyRule.valueClassOfHeapType(ValueCopyRule.heapTypeName(c)), c.getName());
        }
        for (Class<?> c : new Class<?>[] {Object.class, StringBuilder.class, int[].class, long.class, Number.class}) {
            assertFalse(ValueCopyRule.isValueClass(c), c.getName());
        }
        assertEquals("byte[]", ValueCopyRule.heapTypeName(byte[].class));
        assertNull(ValueCopyRule.valueClassOfHeapType("java.lang.Object"));
    }
}

package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.heap.testing.ApiSignatures;
import io.jpmem.persist.PersistenceDomain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exported packages show no internal type, and the façades have one implementation each. */
class ExportedApiTest {

    @Test
    void exportedSignaturesNameNoInternalType() {
        List<String> found = new ArrayList<>();
        int types = 0;
        for (String pkg : List.of("io.jpmem.heap", "io.jpmem.persist", "io.jpmem.heap.spi")) {
            for (Class<?> type : ApiSignatures.publicTypesOf(PersistentHeap.class, pkg)) {
                types++;
                found.addAll(ApiSignatures.internalTypesNamedBy(type));
            }
        }
        assertTrue(types > 20, "found only " + types + " public types: is the class directory right?");
        assertEquals(List.of(), found);
    }

    @Test
    void theCheckSeesAnInternalTypeInASignature() {
        abstract class Leaky {
            public abstract io.jpmem.heap.internal.tx.HeapState state();
        }
        assertFalse(ApiSignatures.internalTypesNamedBy(Leaky.class).isEmpty());
        assertTrue(ApiSignatures.internalTypesNamedBy(PersistenceDomain.class).isEmpty());
    }

    @Test
    void facadesAreSealedWithOneImplementation() {
        for (Class<?> facade : List.of(PersistentHeap.class, Transaction.class, Roots.class, TypeTable.class)) {
            assertTrue(facade.isSealed(), facade + " is sealed");
            assertEquals(1, facade.getPermittedSubclasses().length, facade + " permits one implementation");
            assertTrue(facade.getPermittedSubclasses()[0].getPackageName().startsWith("io.jpmem.heap.internal"));
        }
        assertEquals(0, HeapSpi.class.getConstructors().length, "HeapSpi has no public constructor");
    }
}

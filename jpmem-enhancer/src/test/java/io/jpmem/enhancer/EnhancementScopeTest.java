package io.jpmem.enhancer;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The one "what to enhance" rule of the agent, the enhancing class loader and the build, and its one error report. */
class EnhancementScopeTest {

    @Test
    void theJdkAndJpmemsOwnRuntimeAreNeverEnhancedEverythingElseIsLookedAt() {
        for (String excluded : new String[] {"java/lang/String", "javax/crypto/Cipher", "jdk/internal/misc/Unsafe",
                "sun/misc/Signal", "io/jpmem/heap/PersistentHeap",
                "io/jpmem/heap/internal/format/HeapFormat", "io/jpmem/persist/Durability", "io/jpmem/objects/ObjectSpace",
                "io/jpmem/objects/spi/Barriers", "io/jpmem/enhancer/Enhancer", "io/jpmem/collections/PHashMap",
                "io/jpmem/explorer/Explorer", "io/jpmem/tools/JpmemCli"}) {
            assertFalse(EnhancementScope.includes(excluded), excluded);
        }
        for (String included : new String[] {"Main", "com/example/Order", "io/jpmem/examples/bank/Account",
                "io/jpmem/redis/data/ZSet", "io/jpmem/bench/Cell", "javaish/Thing",
                "com/sun/javatest/regtest/agent/MainWrapper"}) {
            assertTrue(EnhancementScope.includes(included), included);
        }
        assertFalse(EnhancementScope.includes(null), "a class without a name (a hidden class) is left alone");
    }

    @Test
    void failuresAreReportedInOneForm() {
        assertEquals("jpmem enhancer: a.B.f: why",
                EnhancementReporter.message("a/B", new EnhancementException("a.B.f: why")));
        assertEquals("jpmem enhancer: cannot enhance a.B: java.lang.IllegalStateException: broken",
                EnhancementReporter.message("a/B", new IllegalStateException("broken")));
    }
}

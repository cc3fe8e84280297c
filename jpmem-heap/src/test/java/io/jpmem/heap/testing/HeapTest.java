package io.jpmem.heap.testing;

import io.jpmem.persist.Durability;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs once per durability mode on a fresh small heap, which it takes as a
 * {@link io.jpmem.heap.PersistentHeap} parameter (and may reopen through {@link HeapExtension.Handle}).
 * After the test the heap's own check must find nothing, then it is closed: every test is also a
 * test of the heap's invariants (Caffeine's validation interceptor, for a persistent heap).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(HeapExtension.class)
public @interface HeapTest {

    /** The durability modes to run in; all of them by default. */
    Durability[] value() default {Durability.PROCESS, Durability.POWER, Durability.SIMULATED};
}

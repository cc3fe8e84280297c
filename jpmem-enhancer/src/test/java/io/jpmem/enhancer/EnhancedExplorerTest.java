package io.jpmem.enhancer;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.explorer.Explorer;
import io.jpmem.explorer.Scenario;
import io.jpmem.heap.PersistentHeap;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power-fail explorer over enhanced code: allocation through {@code new}, and enhanced field stores. */
class EnhancedExplorerTest {

    @TempDir
    Path dir;

    private static void call(ClassLoader loader, String method, Object... args) {
        try {
            Class<?> program = loader.loadClass("io.jpmem.enhancer.sample.Program");
            for (Method m : program.getMethods()) {
                if (m.getName().equals(method)) {
                    m.invoke(null, args);
                    return;
                }
            }
            throw new NoSuchMethodException(method);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void enhancedOperationsRecoverToBeforeOrAfter() {
        ClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        Explorer explorer = new Explorer(Explorer.Options.fromSystemProperties(dir));
        long states = 0;
        for (Scenario scenario : List.of(
                Scenario.of("enhanced-new-and-link", heap -> call(loader, "addNodes", heap, 2),
                        heap -> call(loader, "addNodes", heap, 1)),
                Scenario.of("enhanced-field-stores", heap -> call(loader, "addNodes", heap, 3),
                        heap -> call(loader, "touchAll", heap)),
                Scenario.of("enhanced-string-replacement", heap -> {
                    call(loader, "addNodes", heap, 2);
                    call(loader, "renameAll", heap, "old");
                }, heap -> call(loader, "renameAll", heap, "new")))) {
            Explorer.Report report = explorer.explore(scenario);
            assertEquals(List.of(), report.violations(), scenario.name());
            assertTrue(report.crashStates() > 10, scenario.name() + ": " + report.crashStates());
            states += report.crashStates();
        }
        System.out.println("enhanced crash-states=" + states + " violations=0 seed=" + explorer.options().seed());
    }
}

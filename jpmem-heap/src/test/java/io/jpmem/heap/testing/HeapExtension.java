package io.jpmem.heap.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs each {@link HeapTest} once per durability mode: creates a small heap in a temporary
 * directory, passes it to the test (a {@link PersistentHeap} or {@link Handle} parameter), and after
 * the test asserts that {@link PersistentHeap#check()} finds no problem, closes the heap and deletes
 * the directory.
 */
public final class HeapExtension implements TestTemplateInvocationContextProvider {

    /** The test's heap, for tests that close and reopen it. */
    public static final class Handle {
        private final Path path;
        private final Durability durability;
        private PersistentHeap heap;

        Handle(Path path, Durability durability) {
            this.path = path;
            this.durability = durability;
            this.heap = PersistentHeap.create(path, TestHeaps.small(durability));
        }

        /** {@return the heap as it is open now} */
        public PersistentHeap heap() {
            return heap;
        }

        /** {@return the durability mode of this run} */
        public Durability durability() {
            return durability;
        }

        /** Closes the heap and opens its file again, in the same durability mode. Returns the reopened heap. */
        public PersistentHeap reopen() {
            heap.close();
            heap = PersistentHeap.open(path, durability);
            return heap;
        }
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(HeapTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Durability[] modes = context.getRequiredTestMethod().getAnnotation(HeapTest.class).value();
        return Arrays.stream(modes).map(Invocation::new);
    }

    private record Invocation(Durability durability) implements TestTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return durability.name();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new PerTest(durability));
        }
    }

    private static final class PerTest implements ParameterResolver, AfterEachCallback {
        private final Durability durability;
        private Path dir;
        private Handle handle;

        PerTest(Durability durability) {
            this.durability = durability;
        }

        private Handle handle() {
            if (handle == null) {
                try {
                    dir = Files.createTempDirectory("jpmem-heaptest-");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                handle = new Handle(dir.resolve(durability.name().toLowerCase() + ".heap"), durability);
            }
            return handle;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == PersistentHeap.class || type == Handle.class || type == Durability.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            if (type == Durability.class) {
                return durability;
            }
            return type == Handle.class ? handle() : handle().heap();
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException {
            if (handle == null) {
                return;
            }
            try {
                PersistentHeap heap = handle.heap();
                if (context.getExecutionException().isEmpty()) {
                    assertEquals(List.of(), heap.check(), "the heap's check after the test");
                }
                heap.close();
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}

package io.jpmem.enhancer;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The load-time form of the enhancer: {@code java -javaagent:jpmem-enhancer.jar ...}. Every class
 * in the {@link EnhancementScope} goes through an {@link Enhancer} of its defining loader. A class
 * that cannot be enhanced is reported ({@link EnhancementReporter}) and the JVM is stopped: running
 * it unenhanced would silently keep its data in volatile fields.
 */
public final class EnhancerAgent {

    private EnhancerAgent() {}

    /** The agent's entry point. */
    public static void premain(String arguments, Instrumentation instrumentation) {
        io.jpmem.objects.DefaultHeap.checkAtStartup(); // a bad -Djpmem.heap stops the JVM here, in one line
        instrumentation.addTransformer(new Transformer());
    }

    private static final class Transformer implements ClassFileTransformer {

        private final Map<ClassLoader, Enhancer> enhancers = new WeakHashMap<>();

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                                byte[] bytes) {
            if (loader == null || !EnhancementScope.includes(className)) {
                return null;
            }
            try {
                return enhancer(loader).enhance(bytes).orElse(null);
            } catch (RuntimeException | Error e) {
                throw EnhancementReporter.stopJvm(className, e);
            }
        }

        private synchronized Enhancer enhancer(ClassLoader loader) {
            return enhancers.computeIfAbsent(loader, Enhancer::new);
        }
    }
}

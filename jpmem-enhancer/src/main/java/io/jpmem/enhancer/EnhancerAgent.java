package io.jpmem.enhancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The load-time form of the enhancer: {@code java -javaagent:jpmem-enhancer.jar ...}. Every class
 * loaded from outside the JDK and jpmem itself goes through {@link Enhancer}. A class that cannot
 * be enhanced is reported on stderr with the reason, and the JVM is stopped: running it unenhanced
 * would silently keep its data in volatile fields.
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
            if (loader == null || className == null || className.startsWith("java/") || className.startsWith("javax/")
                    || className.startsWith("jdk/") || className.startsWith("sun/") || className.startsWith("io/jpmem/")
                    && !className.startsWith("io/jpmem/examples/")) {
                return null;
            }
            try {
                return enhancer(loader).enhance(bytes).orElse(null);
            } catch (EnhancementException e) {
                System.err.println("jpmem enhancer: " + e.getMessage());
                System.err.flush();
                Runtime.getRuntime().halt(70);
                return null;
            } catch (RuntimeException | Error e) {
                System.err.println("jpmem enhancer: cannot enhance " + className.replace('/', '.') + ": " + e);
                System.err.flush();
                Runtime.getRuntime().halt(70);
                return null;
            }
        }

        private synchronized Enhancer enhancer(ClassLoader loader) {
            return enhancers.computeIfAbsent(loader, l -> new Enhancer(name -> bytesOf(l, name), l));
        }

        private static Optional<byte[]> bytesOf(ClassLoader loader, String internalName) {
            try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

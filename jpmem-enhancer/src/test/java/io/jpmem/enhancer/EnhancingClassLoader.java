package io.jpmem.enhancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Loads the sample classes through the enhancer, the way the agent would; everything else from the parent. */
final class EnhancingClassLoader extends ClassLoader {

    private final String prefix;
    final Enhancer enhancer;

    EnhancingClassLoader(String packagePrefix) {
        super(EnhancingClassLoader.class.getClassLoader());
        this.prefix = packagePrefix;
        this.enhancer = new Enhancer(getParent());
    }

    static Optional<byte[]> bytesOf(String internalName) {
        try (InputStream in = EnhancingClassLoader.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(prefix)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                byte[] bytes = bytesOf(name.replace('.', '/')).orElseThrow(() -> new ClassNotFoundException(name));
                byte[] enhanced = enhancer.enhance(bytes).orElse(bytes);
                loaded = defineClass(name, enhanced, 0, enhanced.length);
            }
            return loaded;
        }
    }
}

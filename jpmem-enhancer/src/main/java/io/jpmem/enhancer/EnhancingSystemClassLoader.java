package io.jpmem.enhancer;

import io.jpmem.objects.DefaultHeap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A system class loader that enhances: {@code -Djava.system.class.loader=io.jpmem.enhancer.EnhancingSystemClassLoader}.
 * The jpmem runtime image sets it with jlink's {@code --add-options}, so the image's plain
 * {@code java} runs programs whose {@code @Persistent} classes were not enhanced at build time.
 * Unlike {@code -javaagent:path/to/jar}, it names a class in a module of the image, so it works from
 * any working directory.
 *
 * <p>Classes of the class path are defined by this loader (so that what they load comes through it
 * too: a test harness's main wrapper, say), through the {@link Enhancer} when they are in the
 * {@link EnhancementScope}; classes of the packages of the boot layer's modules (the JDK, jpmem
 * itself) and anything else come from the built-in application loader, its parent. Before the main class loads it checks the
 * {@code -Djpmem.heap} options ({@link DefaultHeap#checkAtStartup()}). A class that cannot be enhanced stops the JVM with
 * the reason, as the agent does ({@link EnhancementReporter}).
 */
public final class EnhancingSystemClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Set<String> modulePackages = new HashSet<>();
    private final Enhancer enhancer;
    private final ConcurrentHashMap<String, ProtectionDomain> domains = new ConcurrentHashMap<>();

    /** Called by the JVM with the built-in application class loader as {@code parent}. */
    public EnhancingSystemClassLoader(ClassLoader parent) {
        super("jpmem-enhancing-app", parent);
        ModuleLayer.boot().modules().forEach(module -> modulePackages.addAll(module.getPackages()));
        this.enhancer = new Enhancer(parent);
    }

    /**
     * Checks the {@code -Djpmem.heap} options once, at the first class this loader is asked for (the
     * main class): not in the constructor, where the JDK's logging cannot start yet.
     */
    private volatile boolean checked;

    private void checkOptionsOnce() {
        if (!checked) {
            checked = true;
            DefaultHeap.checkAtStartup();
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        checkOptionsOnce();
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null && !modulePackages.contains(packageOf(name))) {
                loaded = defineFromClassPath(name);
            }
            if (loaded == null) {
                loaded = getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> defineFromClassPath(String name) {
        String resource = name.replace('.', '/') + ".class";
        URL url = getParent().getResource(resource);
        if (url == null) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
        byte[] enhanced;
        try {
            enhanced = EnhancementScope.includes(name.replace('.', '/')) ? enhancer.enhance(bytes).orElse(bytes) : bytes;
        } catch (RuntimeException | Error e) {
            throw EnhancementReporter.stopJvm(name, e);
        }
        return defineClass(name, enhanced, 0, enhanced.length, domainOf(url, resource));
    }

    /** One protection domain per class path entry, so that {@code getCodeSource()} names the jar or directory. */
    private ProtectionDomain domainOf(URL url, String resource) {
        String spec = url.toString();
        String location = spec.startsWith("jar:") ? spec.substring(4, spec.indexOf("!/"))
                : spec.endsWith(resource) ? spec.substring(0, spec.length() - resource.length()) : spec;
        return domains.computeIfAbsent(location, l -> {
            try {
                return new ProtectionDomain(new CodeSource(URI.create(l).toURL(), (CodeSigner[]) null), null, this, null);
            } catch (MalformedURLException | IllegalArgumentException e) {
                return new ProtectionDomain(null, null, this, null);
            }
        });
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}

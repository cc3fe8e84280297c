package io.jpmem.enhancer;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Build-time enhancement of a directory of classes, in place: what the Maven goal
 * {@code jpmem:enhance} runs (in a JDK 25 process, since Maven itself may run on an older JDK).
 *
 * <p>{@code EnhanceMain CLASSES_DIR CLASSPATH}: every {@code .class} file under the directory is
 * enhanced if it needs to be (already enhanced ones, and classes outside the {@link EnhancementScope},
 * are left alone). Exit code 0 when done, 1 with the reason ({@link EnhancementReporter}) when a
 * class cannot be enhanced, 2 on bad usage.
 */
public final class EnhanceMain {

    private EnhanceMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EnhanceMain CLASSES_DIR CLASSPATH");
            System.exit(2);
        }
        Path classes = Path.of(args[0]);
        List<URL> urls = new ArrayList<>();
        urls.add(classes.toUri().toURL());
        for (String entry : args[1].split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(toUrl(entry));
            }
        }
        // The project's classes and class path only (the JDK's through the platform loader): the classes the
        // enhancer inspects are the ones the program will run with, not the enhancer's own class path.
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Enhancer enhancer = new Enhancer(loader);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(classes)) {
                files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            }
            int changed = 0;
            for (Path file : files) {
                String internalName = classes.relativize(file).toString().replace(File.separatorChar, '/');
                internalName = internalName.substring(0, internalName.length() - ".class".length());
                if (!EnhancementScope.includes(internalName)) {
                    continue;
                }
                try {
                    Optional<byte[]> enhanced = enhancer.enhance(Files.readAllBytes(file));
                    if (enhanced.isPresent()) {
                        Files.write(file, enhanced.get());
                        changed++;
                    }
                } catch (RuntimeException | Error e) {
                    EnhancementReporter.report(System.err, internalName, e);
                    System.exit(1);
                }
            }
            System.out.println("jpmem enhance: " + changed + " of " + files.size() + " classes enhanced in " + classes);
        }
    }

    private static URL toUrl(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }

}

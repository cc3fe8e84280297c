package io.jpmem.enhancer;

import java.util.List;

/**
 * Which classes the enhancer looks at: the one rule of the agent, the enhancing system class loader
 * and the build-time command. Everything but the JDK's classes and jpmem's own runtime (the heap, the
 * object runtime, the enhancer, the collections, the explorer and the tools, whose persistent classes
 * are hand-written); whether a class then needs a change is the {@link Enhancer}'s business.
 */
final class EnhancementScope {

    /** Internal-name prefixes of the packages that are never enhanced. */
    private static final List<String> EXCLUDED = List.of("java/", "javax/", "jdk/", "sun/",
            "io/jpmem/heap/", "io/jpmem/persist/", "io/jpmem/objects/", "io/jpmem/enhancer/", "io/jpmem/collections/",
            "io/jpmem/explorer/", "io/jpmem/tools/");

    private EnhancementScope() {}

    /** {@return whether the class with this internal name ({@code a/b/C}) is one the enhancer should look at} */
    static boolean includes(String internalName) {
        if (internalName == null) {
            return false;
        }
        for (String prefix : EXCLUDED) {
            if (internalName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}

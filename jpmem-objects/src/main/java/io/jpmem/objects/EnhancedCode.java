package io.jpmem.objects;

import java.lang.invoke.MethodHandles;

/**
 * How enhanced code reaches the runtime's SPI package, {@code io.jpmem.objects.spi} (the field
 * barriers): the package is exported by the module declaration only to the jpmem modules that are
 * compiled against it (the enhancer, the collections), so every class the enhancer changes starts its
 * static initializer with {@code EnhancedCode.link(MethodHandles.lookup())}, which exports the package
 * to that class's module — a user's named module or a class loader's unnamed module — before any of
 * its code can call a barrier. On the class path (no named modules) this does nothing.
 *
 * <p>A class can only link its own module: the lookup must have full privilege, which only the
 * class's own {@code MethodHandles.lookup()} gives.
 */
public final class EnhancedCode {

    private static final String SPI_PACKAGE = "io.jpmem.objects.spi";

    private EnhancedCode() {}

    /**
     * Exports the SPI package to the module of {@code lookup}'s class. Called by the static initializer
     * of every enhanced class.
     *
     * @throws IllegalArgumentException if {@code lookup} lacks full privilege access
     */
    public static void link(MethodHandles.Lookup lookup) {
        if (!lookup.hasFullPrivilegeAccess()) {
            throw new IllegalArgumentException("EnhancedCode.link needs the class's own MethodHandles.lookup(), not "
                    + lookup);
        }
        Module runtime = EnhancedCode.class.getModule();
        Module target = lookup.lookupClass().getModule();
        if (runtime.isNamed() && !runtime.isExported(SPI_PACKAGE, target)) {
            runtime.addExports(SPI_PACKAGE, target);
        }
    }
}

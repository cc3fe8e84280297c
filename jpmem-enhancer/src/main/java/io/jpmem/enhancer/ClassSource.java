package io.jpmem.enhancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the enhancer reads the classes it inspects (the owners of field accesses, superclasses,
 * field types) and resolves the class hierarchy for stack maps: one class loader, the one that will
 * define the enhanced classes (the agent's defining loader, the enhancing system class loader's
 * parent, the build's class path). Never the system class loader, which at build time holds the
 * enhancer's own class path and at load time may be the enhancing loader itself. JDK classes come
 * through the loader's delegation to the boot and platform loaders.
 */
final class ClassSource {

    private static final ClassFile PARSER = ClassFile.of();

    private final ClassLoader loader;

    ClassSource(ClassLoader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** {@return the bytes of the class with this internal name, or empty if the loader has none} */
    Optional<byte[]> bytes(String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + internalName + ".class", e);
        }
    }

    /** {@return the parsed class with this internal name, or empty} */
    Optional<ClassModel> model(String internalName) {
        return bytes(internalName).map(PARSER::parse);
    }

    /** {@return a resolver of the class hierarchy that reads the same loader, caching what it found} */
    ClassHierarchyResolver hierarchy() {
        return ClassHierarchyResolver.ofResourceParsing(loader).cached();
    }
}

package io.jpmem.enhancer;

import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.TypeLayout;
import io.jpmem.objects.spi.EnhancerAbi;
import java.lang.classfile.Annotation;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The enhancer reads the classes it inspects through the class loader it is given, never the system
 * class loader: a persistent class whose persistent superclass exists only in that loader is laid
 * out with the superclass's fields first. (Read through the system loader, the superclass would not
 * be found and the subclass would be refused.)
 */
class EnhancerClassLoaderTest {

    private static final ClassDesc PERSISTENT = ClassDesc.of("io.jpmem.objects.Persistent");

    /** Bytes of a public @Persistent class {@code name} extending {@code superclass}, with one field. */
    private static byte[] persistentClass(ClassDesc name, ClassDesc superclass, String field, ClassDesc type) {
        return ClassFile.of().build(name, cb -> cb.withFlags(ACC_PUBLIC).withSuperclass(superclass)
                .with(RuntimeVisibleAnnotationsAttribute.of(Annotation.of(PERSISTENT)))
                .withField(field, type, ACC_PUBLIC)
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ACC_PUBLIC,
                        b -> b.aload(0).invokespecial(superclass, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void).return_()));
    }

    /** Serves classes from memory, the rest from the test's loader; enhances the in-memory ones. */
    private static final class InMemoryLoader extends ClassLoader {
        private final Map<String, byte[]> classes;
        private final Enhancer enhancer;

        InMemoryLoader(Map<String, byte[]> classes) {
            super(EnhancerClassLoaderTest.class.getClassLoader());
            this.classes = classes;
            this.enhancer = new Enhancer(this);
        }

        @Override
        public java.io.InputStream getResourceAsStream(String name) {
            byte[] bytes = name.endsWith(".class") ? classes.get(name.substring(0, name.length() - 6)) : null;
            return bytes != null ? new java.io.ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/'));
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] enhanced = enhancer.enhance(bytes).orElse(bytes);
            return defineClass(name, enhanced, 0, enhanced.length);
        }
    }

    @Test
    void classesAreInspectedThroughTheEnhancersOwnLoader() throws Throwable {
        ClassDesc base = ClassDesc.of("generated.onlyhere.Base");
        ClassDesc sub = ClassDesc.of("generated.onlyhere.Sub");
        Map<String, byte[]> classes = Map.of(
                "generated/onlyhere/Base", persistentClass(base, ConstantDescs.CD_Object, "x", ConstantDescs.CD_int),
                "generated/onlyhere/Sub", persistentClass(sub, base, "y", ConstantDescs.CD_long));
        assertNull(ClassLoader.getSystemResource("generated/onlyhere/Base.class"), "not on the system class path");
        InMemoryLoader loader = new InMemoryLoader(classes);

        Class<?> enhanced = loader.loadClass("generated.onlyhere.Sub");
        TypeLayout layout = (TypeLayout) enhanced.getMethod(EnhancerAbi.LAYOUT_METHOD).invoke(null);
        assertEquals(TypeLayout.ofRecord("generated.onlyhere.Sub", 16, FieldLayout.of("x", FieldKind.INT, 0),
                FieldLayout.of("y", FieldKind.LONG, 8)), layout, "the superclass's field first, read through the loader");
        assertTrue(java.util.Arrays.stream(enhanced.getDeclaredFields()).noneMatch(f -> f.getName().equals("y")),
                "the field moved into the block");
        assertTrue(io.jpmem.objects.PersistentObject.class.isAssignableFrom(enhanced), "a handle class");
    }
}

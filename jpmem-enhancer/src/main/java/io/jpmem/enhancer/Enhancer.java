package io.jpmem.enhancer;

import io.jpmem.enhancer.LayoutAnalysis.Layout;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code @Persistent} enhancer, on the JDK's {@code java.lang.classfile}.
 *
 * <p>For a class annotated {@code @Persistent}: its instance fields (not static, not transient, not
 * synthetic) are laid out in a persistent block and deleted from the class; the class implements
 * {@code PersistentObject} with two synthetic fields (the block reference and its object space);
 * each constructor that calls {@code Object.<init>} allocates the block right after that call; a
 * constructor {@code (Wrap, ObjectSpace, long)} wraps an existing block without running user code;
 * and {@code $jpmem$layout()} records the layout for the heap's type table.
 *
 * <p>In every class it processes, {@code getfield} and {@code putfield} of those fields become
 * calls to {@code io.jpmem.objects.spi.Barriers}: a load from the block, or a barriered store. Because
 * the original fields are deleted, code that was not enhanced fails with {@link NoSuchFieldError}
 * instead of writing into a dead Java field. An enhanced class is never enhanced twice.
 *
 * <p>Supported: primitive fields, references to other {@code @Persistent} classes, persistent arrays
 * and collections (classes implementing {@code PersistentObject}), {@code String} and boxed-primitive
 * fields (held as immutable persistent copies; replacing or clearing one frees the old copy at
 * commit), and fields of a dynamic type ({@code Object}, {@code Number} or an interface: type
 * variables erase to these) holding any of those. Classes extend {@code Object}, {@code Record} or
 * another {@code @Persistent} class (a subclass's block holds its superclasses' fields first).
 * Stores a constructor makes before {@code super()} (JDK 25 flexible constructor bodies, an inner
 * class's outer reference) go to shadow fields until the block exists; see {@link ConstructorPrologue}.
 * Anything else fails with an {@link EnhancementException} naming the class and field.
 *
 * <h2>Jobs</h2>
 * Composed the way {@code java.lang.classfile} composes transforms ({@code andThen}), one class per job:
 * {@link LayoutAnalysis} (which classes are persistent, where their fields go), {@link MemberSynthesis}
 * (fields dropped, constructors that allocate, the members of a handle, the link to the runtime),
 * {@link FieldAccessRewrite} (field accesses into barrier calls, in every method) and
 * {@link RecordBootstrap} (records' {@code ObjectMethods} bootstrap). The classes it inspects are read
 * through its own {@link ClassSource}, one class loader, never the system class loader.
 */
public final class Enhancer {

    private final ClassSource classes;
    private final ClassFile classFile;
    private final LayoutAnalysis analysis;
    private final CodeTransform bodies;

    /**
     * @param loader the class loader the enhanced classes are (or will be) defined by: it finds the
     *     classes the enhancer inspects (superclasses, owners of field accesses, field types) and
     *     resolves the class hierarchy for stack maps
     */
    public Enhancer(ClassLoader loader) {
        this.classes = new ClassSource(loader);
        this.classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(classes.hierarchy()));
        this.analysis = new LayoutAnalysis(classes);
        this.bodies = new RecordBootstrap(analysis).andThen(new FieldAccessRewrite(analysis));
    }

    /**
     * Enhances one class.
     *
     * @return the new bytes, or empty if the class needs no change (already enhanced, or it neither
     *     is persistent nor touches a persistent field)
     * @throws EnhancementException if the class is persistent and cannot be enhanced
     */
    public Optional<byte[]> enhance(byte[] bytes) {
        ClassModel model = classFile.parse(bytes);
        if (LayoutAnalysis.isEnhanced(model)) {
            return Optional.empty();
        }
        boolean persistent = LayoutAnalysis.isPersistent(model);
        if (!persistent && !analysis.touchesPersistentFields(model)) {
            return Optional.empty();
        }
        ClassTransform transform = ClassTransform.transformingMethodBodies(bodies);
        if (persistent) {
            transform = persistentClass(model, transform);
        }
        return Optional.of(classFile.transformClass(model, transform.andThen(MemberSynthesis.linkToRuntime(model))));
    }

    /**
     * The transforms of a {@code @Persistent} class around {@code rewriteBodies}: its fields dropped and its
     * constructors changed first (the constructors' early stores are found by element index, so before
     * any rewriting), then the bodies rewritten, then its members added.
     */
    private ClassTransform persistentClass(ClassModel model, ClassTransform rewriteBodies) {
        Layout layout = analysis.analyse(model);
        Map<String, Set<Integer>> earlyStores = MemberSynthesis.earlyStores(model, layout);
        Set<String> shadowed = MemberSynthesis.shadowedFields(model, earlyStores);
        ClassDesc self = model.thisClass().asSymbol();
        ClassDesc rootSuper = model.superclass().map(c -> c.asSymbol()).orElse(ConstantDescs.CD_Object);
        ClassTransform transform = MemberSynthesis.droppingFields(layout)
                .andThen(MemberSynthesis.constructors(self, layout, rootSuper, earlyStores))
                .andThen(rewriteBodies)
                .andThen(MemberSynthesis.members(self, layout, rootSuper, shadowed));
        if (rootSuper.equals(RecordBootstrap.RECORD)) {
            transform = transform.andThen(RecordBootstrap.accessors(self, layout));
        }
        if (layout.superclass() == null) {
            transform = transform.andThen(MemberSynthesis.persistentObjectInterface());
        }
        return transform;
    }
}

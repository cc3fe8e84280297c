package io.jpmem.enhancer;

import static java.lang.classfile.ClassFile.ACC_FINAL;
import static java.lang.classfile.ClassFile.ACC_PRIVATE;
import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;
import static java.lang.classfile.ClassFile.ACC_TRANSIENT;

import io.jpmem.enhancer.LayoutAnalysis.Layout;
import io.jpmem.enhancer.LayoutAnalysis.Slot;
import io.jpmem.heap.FieldKind;
import io.jpmem.objects.spi.EnhancerAbi;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.FieldModel;
import java.lang.classfile.Interfaces;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The enhancer's member-synthesis job: the class transforms that turn a {@code @Persistent} class into
 * a handle on a persistent block.
 * <ul>
 *   <li>{@link #droppingFields}: the fields moved into the block are deleted, so unenhanced code fails
 *       with {@code NoSuchFieldError} instead of writing into a dead Java field;
 *   <li>{@link #constructors}: the first persistent class of a hierarchy allocates the block right after
 *       {@code Object.<init>} (or {@code Record.<init>}); stores made before {@code super()} (JDK 25
 *       flexible constructor bodies, an inner class's outer reference, found by {@link ConstructorPrologue})
 *       go to shadow fields and are copied into the block once it exists;
 *   <li>{@link #members}: {@code $jpmem$layout()}, the wrapping constructor, the handle state and
 *       {@code PersistentObject}'s methods, {@code $jpmem$early()};
 *   <li>{@link #persistentObjectInterface}: {@code implements PersistentObject};
 *   <li>{@link #linkToRuntime}: every changed class, persistent or not, links its module to the
 *       runtime's SPI package first thing in its static initializer.
 * </ul>
 * Every name the runtime knows comes from {@link EnhancerAbi}; the names below are the enhancer's own.
 */
final class MemberSynthesis {

    static final String REF_FIELD = "$jpmem$ref";
    static final String SPACE_FIELD = "$jpmem$space";
    static final String EARLY_METHOD = "$jpmem$early";
    static final String EARLY_PREFIX = "$jpmem$early$";

    private MemberSynthesis() {}

    /** {@return the transform that deletes the instance fields laid out in the block} */
    static ClassTransform droppingFields(Layout layout) {
        return ClassTransform.dropping(e -> e instanceof FieldModel f && layout.slots().containsKey(f.fieldName().stringValue())
                && (f.flags().flagsMask() & ACC_STATIC) == 0);
    }

    /** {@return the transform that adds {@code PersistentObject} to the interfaces of the first persistent class} */
    static ClassTransform persistentObjectInterface() {
        return (builder, element) -> {
            if (element instanceof Interfaces interfaces) {
                List<ClassEntry> all = new ArrayList<>(interfaces.interfaces());
                all.add(builder.constantPool().classEntry(EnhancerAbi.PERSISTENT_OBJECT));
                builder.withInterfaces(all);
            } else {
                builder.with(element);
            }
        };
    }

    private static String methodKey(MethodModel method) {
        return method.methodName().stringValue() + method.methodTypeSymbol().descriptorString();
    }

    /**
     * Finds, in each constructor, the stores into persistent fields of the object under construction
     * made before {@code super(...)} or {@code this(...)} (an inner class's outer reference, JDK 25's
     * flexible constructor bodies): by constructor, the indexes of those {@code putfield}s among the
     * code's elements. They go to Java shadow fields until the block exists (see {@link #members}).
     *
     * @throws EnhancementException if a constructor stores persistent fields but its code before the
     *     constructor call cannot be followed
     */
    static Map<String, Set<Integer>> earlyStores(ClassModel model, Layout layout) {
        String className = model.thisClass().asInternalName().replace('/', '.');
        ClassDesc self = model.thisClass().asSymbol();
        Map<String, Set<Integer>> byConstructor = new HashMap<>();
        for (MethodModel method : model.methods()) {
            if (!method.methodName().equalsString("<init>") || method.code().isEmpty()) {
                continue;
            }
            List<CodeElement> elements = method.code().get().elementList();
            ConstructorPrologue.Analysis analysis = ConstructorPrologue.analyse(elements, self);
            if (!analysis.complete() && elements.stream().anyMatch(e -> e instanceof FieldInstruction fi
                    && fi.opcode() == Opcode.PUTFIELD && fi.owner().asSymbol().equals(self)
                    && layout.slots().containsKey(fi.name().stringValue()))) {
                throw new EnhancementException(className + ": a constructor's code before super() cannot be followed;"
                        + " store persistent fields after super()");
            }
            Set<Integer> indexes = new HashSet<>(analysis.storesToThis());
            indexes.removeIf(i -> !layout.slots().containsKey(((FieldInstruction) elements.get(i)).name().stringValue()));
            if (!indexes.isEmpty()) {
                byConstructor.put(methodKey(method), indexes);
            }
        }
        return byConstructor;
    }

    /** {@return the names of the fields stored before super() in some constructor} */
    static Set<String> shadowedFields(ClassModel model, Map<String, Set<Integer>> earlyStores) {
        Set<String> names = new java.util.TreeSet<>();
        for (MethodModel method : model.methods()) {
            Set<Integer> indexes = earlyStores.get(methodKey(method));
            if (indexes != null) {
                List<CodeElement> elements = method.code().orElseThrow().elementList();
                indexes.forEach(i -> names.add(((FieldInstruction) elements.get(i)).name().stringValue()));
            }
        }
        return names;
    }

    /**
     * The constructors of a persistent class: early stores go to shadow fields; in the first
     * persistent class of the hierarchy, the block is allocated right after {@code Object.<init>} (or
     * {@code Record.<init>}) and the shadow fields of the whole hierarchy are copied into it.
     */
    static ClassTransform constructors(ClassDesc self, Layout layout, ClassDesc rootSuper,
            Map<String, Set<Integer>> earlyStores) {
        return (builder, element) -> {
            if (element instanceof MethodModel method && method.methodName().equalsString("<init>")) {
                Set<Integer> early = earlyStores.getOrDefault(methodKey(method), Set.of());
                builder.transformMethod(method, MethodTransform.transformingCode(
                        CodeTransform.ofStateful(() -> constructorCode(self, layout, rootSuper, early))));
            } else {
                builder.with(element);
            }
        };
    }

    private static CodeTransform constructorCode(ClassDesc self, Layout layout, ClassDesc rootSuper, Set<Integer> early) {
        return new CodeTransform() {
            int index;
            int pendingNewObjects;
            boolean allocated = layout.superclass() != null; // a persistent superclass's constructor allocates

            @Override
            public void accept(CodeBuilder builder, CodeElement element) {
                if (early.contains(index++)) {
                    FieldInstruction store = (FieldInstruction) element;
                    builder.putfield(self, EARLY_PREFIX + store.name().stringValue(), store.typeSymbol());
                    return;
                }
                builder.with(element);
                if (element instanceof NewObjectInstruction n && n.className().asSymbol().equals(rootSuper)) {
                    pendingNewObjects++;
                } else if (!allocated && element instanceof InvokeInstruction call && call.opcode() == Opcode.INVOKESPECIAL
                        && call.name().equalsString("<init>") && call.owner().asSymbol().equals(rootSuper)) {
                    if (pendingNewObjects > 0) {
                        pendingNewObjects--;
                    } else {
                        allocated = true;
                        builder.aload(0);
                        AbiCalls.invoke(builder, EnhancerAbi.ALLOCATE);
                        builder.aload(0);
                        builder.invokevirtual(self, EARLY_METHOD, ConstantDescs.MTD_void);
                    }
                }
            }
        };
    }

    /**
     * The shadow field of each persistent field stored before super(), and {@code $jpmem$early()}:
     * called once, right after the block is allocated, it copies the shadow fields of this class (after
     * its superclasses') into the block and clears them.
     */
    private static void addEarlyStores(ClassBuilder builder, ClassDesc self, Layout layout,
            Set<String> shadowed) {
        for (String name : shadowed) {
            builder.withField(EARLY_PREFIX + name, layout.slots().get(name).type(), ACC_PRIVATE | ACC_TRANSIENT | ACC_SYNTHETIC);
        }
        builder.withMethodBody(EARLY_METHOD, ConstantDescs.MTD_void, ACC_PUBLIC | ACC_SYNTHETIC, b -> {
            if (layout.superclass() != null) {
                b.aload(0).invokespecial(layout.superclass(), EARLY_METHOD, ConstantDescs.MTD_void);
            }
            for (String name : shadowed) {
                Slot slot = layout.slots().get(name);
                String shadow = EARLY_PREFIX + name;
                if (slot.kind() == FieldKind.REF) {
                    java.lang.classfile.Label skip = b.newLabel();
                    b.aload(0).getfield(self, shadow, slot.type()).ifnull(skip);
                    b.aload(0).aload(0).getfield(self, shadow, slot.type());
                    FieldAccessRewrite.emit(b, false, slot);
                    b.aload(0).aconst_null().putfield(self, shadow, slot.type());
                    b.labelBinding(skip);
                } else {
                    b.aload(0).aload(0).getfield(self, shadow, slot.type());
                    FieldAccessRewrite.emit(b, false, slot);
                }
            }
            b.return_();
        });
    }

    /**
     * {@return the transform that adds the members of a persistent class} Its shadow fields and
     * {@code $jpmem$early()}, {@code $jpmem$layout()}, the wrapping constructor; in the first persistent
     * class of a hierarchy also the handle state (block reference, object space) and the three
     * {@code PersistentObject} methods.
     */
    static ClassTransform members(ClassDesc self, Layout layout, ClassDesc rootSuper, Set<String> shadowed) {
        return ClassTransform.endHandler(builder -> addMembers(builder, self, layout, rootSuper, shadowed));
    }

    private static void addMembers(ClassBuilder builder, ClassDesc self, Layout layout, ClassDesc rootSuper,
            Set<String> shadowed) {
        addEarlyStores(builder, self, layout, shadowed);
        MethodTypeDesc wrapping = EnhancerAbi.WRAPPING_CONSTRUCTOR;
        String className = self.descriptorString().substring(1, self.descriptorString().length() - 1).replace('/', '.');
        builder.withMethodBody(EnhancerAbi.LAYOUT_METHOD, EnhancerAbi.LAYOUT_METHOD_TYPE, ACC_PUBLIC | ACC_STATIC | ACC_SYNTHETIC,
                b -> {
                    layout.emit(b, className);
                    b.areturn();
                });
        if (layout.superclass() != null) {
            // A persistent subclass: the first persistent class holds the handle state; wrap through it.
            builder.withMethodBody(ConstantDescs.INIT_NAME, wrapping, ACC_PUBLIC | ACC_SYNTHETIC,
                    b -> b.aload(0).aload(1).aload(2).lload(3).invokespecial(layout.superclass(), ConstantDescs.INIT_NAME, wrapping)
                            .return_());
            return;
        }
        ClassDesc space = EnhancerAbi.OBJECT_SPACE;
        builder.withField(REF_FIELD, ConstantDescs.CD_long, ACC_PRIVATE | ACC_TRANSIENT | ACC_SYNTHETIC);
        builder.withField(SPACE_FIELD, space, ACC_PRIVATE | ACC_TRANSIENT | ACC_SYNTHETIC);
        builder.withMethodBody(EnhancerAbi.REF_METHOD.name(), EnhancerAbi.REF_METHOD.type(), ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC,
                b -> b.aload(0).getfield(self, REF_FIELD, ConstantDescs.CD_long).lreturn());
        builder.withMethodBody(EnhancerAbi.SPACE_METHOD.name(), EnhancerAbi.SPACE_METHOD.type(), ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC,
                b -> b.aload(0).getfield(self, SPACE_FIELD, space).areturn());
        EnhancerAbi.Member bind = EnhancerAbi.BIND_METHOD;
        builder.withMethodBody(bind.name(), bind.type(), ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC, b -> {
            b.aload(1);
            AbiCalls.invoke(b, EnhancerAbi.WRAP_CHECK);
            b.aload(0).aload(2).putfield(self, SPACE_FIELD, space)
                    .aload(0).lload(3).putfield(self, REF_FIELD, ConstantDescs.CD_long).return_();
        });
        builder.withMethodBody(ConstantDescs.INIT_NAME, wrapping, ACC_PUBLIC | ACC_SYNTHETIC,
                b -> b.aload(0).invokespecial(rootSuper, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                        .aload(0).aload(1).aload(2).lload(3)
                        .invokevirtual(self, bind.name(), bind.type())
                        .return_());
    }

    /**
     * Starts the class's static initializer (adding one if it has none) with
     * {@code EnhancedCode.link(MethodHandles.lookup())}: the runtime then exports its SPI package, which
     * the rewritten code calls, to the class's module (see {@code io.jpmem.objects.EnhancedCode}).
     */
    static ClassTransform linkToRuntime(ClassModel model) {
        CodeTransform prepend = new CodeTransform() {
            @Override
            public void atStart(CodeBuilder builder) {
                emitLink(builder);
            }

            @Override
            public void accept(CodeBuilder builder, CodeElement element) {
                builder.with(element);
            }
        };
        ClassTransform transform = ClassTransform.transformingMethodBodies(
                m -> m.methodName().equalsString(ConstantDescs.CLASS_INIT_NAME), prepend);
        if (model.methods().stream().noneMatch(m -> m.methodName().equalsString(ConstantDescs.CLASS_INIT_NAME))) {
            transform = transform.andThen(ClassTransform.endHandler(builder -> builder.withMethodBody(
                    ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ACC_STATIC | ACC_SYNTHETIC, b -> {
                        emitLink(b);
                        b.return_();
                    })));
        }
        return transform;
    }

    private static void emitLink(CodeBuilder b) {
        AbiCalls.invoke(b, EnhancerAbi.LOOKUP_FACTORY);
        AbiCalls.invoke(b, EnhancerAbi.LINK);
    }
}

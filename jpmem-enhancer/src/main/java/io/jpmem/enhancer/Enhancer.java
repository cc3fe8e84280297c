package io.jpmem.enhancer;

import static java.lang.classfile.ClassFile.ACC_FINAL;
import static java.lang.classfile.ClassFile.ACC_PRIVATE;
import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;
import static java.lang.classfile.ClassFile.ACC_TRANSIENT;

import io.jpmem.heap.FieldKind;
import java.lang.classfile.Annotation;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
 * calls to {@code io.jpmem.objects.Barriers}: a load from the block, or a barriered store. Because
 * the original fields are deleted, code that was not enhanced fails with {@link NoSuchFieldError}
 * instead of writing into a dead Java field. An enhanced class is never enhanced twice.
 *
 * <p>Supported: primitive fields, references to other {@code @Persistent} classes and persistent
 * arrays, and {@code String} and boxed-primitive fields (held as immutable persistent copies;
 * replacing or clearing one frees the old copy at commit), in classes that extend {@code Object} or
 * another {@code @Persistent} class (a subclass's block holds its superclasses' fields first). Anything else fails with an
 * {@link EnhancementException} naming the class and field.
 */
public final class Enhancer {

    static final ClassDesc PERSISTENT = ClassDesc.of("io.jpmem.objects.Persistent");
    static final ClassDesc PERSISTENT_OBJECT = ClassDesc.of("io.jpmem.objects.PersistentObject");
    static final ClassDesc OBJECT_SPACE = ClassDesc.of("io.jpmem.objects.ObjectSpace");
    static final ClassDesc WRAP = ClassDesc.of("io.jpmem.objects.Wrap");
    static final ClassDesc BARRIERS = ClassDesc.of("io.jpmem.objects.Barriers");
    static final String REF_FIELD = "$jpmem$ref";
    static final String SPACE_FIELD = "$jpmem$space";
    static final String LAYOUT_METHOD = "$jpmem$layout";
    static final String ACCESSOR_PREFIX = "$jpmem$get$";
    static final ClassDesc RECORD = ClassDesc.of("java.lang.Record");
    static final ClassDesc OBJECT_METHODS = ClassDesc.of("java.lang.runtime.ObjectMethods");

    /** How a reference slot's value is held. */
    enum Holding { OBJECT, STRING, BOXED }

    /** One field moved into the block. */
    record Slot(String name, ClassDesc type, FieldKind kind, int offset, Holding holding) {}

    private static final java.util.Set<String> BOXES = java.util.Set.of("Ljava/lang/Long;", "Ljava/lang/Integer;",
            "Ljava/lang/Short;", "Ljava/lang/Byte;", "Ljava/lang/Character;", "Ljava/lang/Boolean;",
            "Ljava/lang/Float;", "Ljava/lang/Double;");

    private static Holding holdingOf(ClassDesc type) {
        String descriptor = type.descriptorString();
        return descriptor.equals("Ljava/lang/String;") ? Holding.STRING : BOXES.contains(descriptor) ? Holding.BOXED : Holding.OBJECT;
    }

    /**
     * The block layout of a persistent class: the fields of its persistent superclasses first, then
     * its own.
     *
     * @param superclass the persistent superclass, or null for the first persistent class of the hierarchy
     */
    record Layout(int byteSize, Map<String, Slot> slots, ClassDesc superclass) {

        String encoded() {
            StringBuilder out = new StringBuilder().append(byteSize);
            slots.values().forEach(s -> out.append(';').append(s.name()).append(':').append(s.kind()).append(':').append(s.offset()));
            return out.toString();
        }
    }

    private final Function<String, Optional<byte[]>> classBytes;
    private final ClassFile classFile;
    private final Map<String, Optional<Layout>> layouts = new ConcurrentHashMap<>();

    /**
     * @param classBytes finds the bytes of a class by internal name (for the owners of field accesses)
     * @param loader resolves the class hierarchy for stack maps
     */
    public Enhancer(Function<String, Optional<byte[]>> classBytes, ClassLoader loader) {
        this.classBytes = classBytes;
        this.classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
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
        if (model.methods().stream().anyMatch(m -> m.methodName().equalsString(LAYOUT_METHOD))) {
            return Optional.empty(); // already enhanced
        }
        Optional<Layout> own = isPersistent(model) ? Optional.of(layout(model)) : Optional.empty();
        if (own.isEmpty() && !touchesPersistentFields(model)) {
            return Optional.empty();
        }
        if (own.isPresent()) {
            layouts.put(model.thisClass().asInternalName(), own);
            refuseStoresBeforeSuper(model, own.get());
        }
        ClassDesc self = model.thisClass().asSymbol();
        CodeTransform rewrite = (builder, element) -> rewrite(builder, element);
        ClassTransform transform = ClassTransform.transformingMethodBodies(rewrite);
        ClassDesc rootSuper = model.superclass().map(c -> c.asSymbol()).orElse(ConstantDescs.CD_Object);
        if (own.isPresent()) {
            Layout layout = own.get();
            transform = ClassTransform.dropping(e -> e instanceof FieldModel f && layout.slots().containsKey(f.fieldName().stringValue())
                            && (f.flags().flagsMask() & ACC_STATIC) == 0)
                    .andThen(ClassTransform.transformingMethods(m -> m.methodName().equalsString("<init>"),
                            MethodTransform.transformingCode(layout.superclass() != null
                                    ? (b, e) -> b.with(e) // a persistent superclass's constructor allocates
                                    : CodeTransform.ofStateful(() -> allocateAfterSuper(rootSuper)))))
                    .andThen(transform)
                    .andThen(ClassTransform.endHandler(builder -> addMembers(builder, self, layout, rootSuper)));
        }
        if (own.isPresent() && own.get().superclass() == null) {
            ClassTransform addInterface = (builder, element) -> {
                if (element instanceof java.lang.classfile.Interfaces interfaces) {
                    List<java.lang.classfile.constantpool.ClassEntry> all = new ArrayList<>(interfaces.interfaces());
                    all.add(builder.constantPool().classEntry(PERSISTENT_OBJECT));
                    builder.withInterfaces(all);
                } else {
                    builder.with(element);
                }
            };
            transform = transform.andThen(addInterface);
        }
        ClassTransform withInterface = transform;
        return Optional.of(classFile.transformClass(model, withInterface));
    }

    private static boolean isPersistent(ClassModel model) {
        return model.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations())
                .map(RuntimeVisibleAnnotationsAttribute::annotations).orElse(List.of()).stream()
                .map(Annotation::classSymbol).anyMatch(PERSISTENT::equals);
    }

    /**
     * Refuses what this version cannot enhance in constructors: a store to a persistent field before
     * the superclass constructor has run (JDK 25's flexible constructor bodies, and the outer
     * reference of a non-static inner class), since the block does not exist yet.
     */
    private void refuseStoresBeforeSuper(ClassModel model, Layout layout) {
        String className = model.thisClass().asInternalName().replace('/', '.');
        for (FieldModel field : model.fields()) {
            if ((field.flags().flagsMask() & ACC_SYNTHETIC) != 0 && field.fieldName().stringValue().startsWith("this$")) {
                throw new EnhancementException(className + ": a non-static inner class cannot be @Persistent yet"
                        + " (its outer reference is stored before super()); make it a static nested class");
            }
        }
        ClassDesc superclass = model.superclass().map(c -> c.asSymbol()).orElse(ConstantDescs.CD_Object);
        for (MethodModel method : model.methods()) {
            if (!method.methodName().equalsString("<init>") || method.code().isEmpty()) {
                continue;
            }
            int pendingNew = 0;
            for (CodeElement element : method.code().get()) {
                if (element instanceof NewObjectInstruction n && n.className().asSymbol().equals(superclass)) {
                    pendingNew++;
                } else if (element instanceof InvokeInstruction call && call.opcode() == Opcode.INVOKESPECIAL
                        && call.name().equalsString("<init>")
                        && (call.owner().asSymbol().equals(superclass) || call.owner().asSymbol().equals(model.thisClass().asSymbol()))) {
                    if (pendingNew > 0 && call.owner().asSymbol().equals(superclass)) {
                        pendingNew--;
                    } else {
                        break; // super(...) or this(...): the block exists from here on
                    }
                } else if (element instanceof FieldInstruction fi && fi.opcode() == Opcode.PUTFIELD
                        && fi.owner().asSymbol().equals(model.thisClass().asSymbol())
                        && layout.slots().containsKey(fi.name().stringValue())) {
                    throw new EnhancementException(className + "." + fi.name().stringValue()
                            + ": stored before super() in a constructor; this version needs persistent fields to be"
                            + " stored after super()");
                }
            }
        }
    }

    private boolean touchesPersistentFields(ClassModel model) {
        for (MethodModel method : model.methods()) {
            if (method.code().isEmpty()) {
                continue;
            }
            for (CodeElement element : method.code().get()) {
                if (element instanceof FieldInstruction fi && (fi.opcode() == Opcode.GETFIELD || fi.opcode() == Opcode.PUTFIELD)
                        && slotOf(fi).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<Slot> slotOf(FieldInstruction fi) {
        return layoutOf(fi.owner().asInternalName()).map(l -> l.slots().get(fi.name().stringValue()));
    }

    private Optional<Layout> layoutOf(String internalName) {
        Optional<Layout> known = layouts.get(internalName);
        if (known != null) {
            return known;
        }
        Optional<Layout> found = classBytes.apply(internalName).map(classFile::parse)
                .filter(Enhancer::isPersistent).map(this::layout);
        layouts.put(internalName, found);
        return found;
    }

    private boolean isPersistentClass(ClassDesc type) {
        if (!type.isClassOrInterface()) {
            return false;
        }
        String internal = type.descriptorString().substring(1, type.descriptorString().length() - 1);
        if (internal.equals("io/jpmem/objects/PersistentLongArray") || internal.equals("io/jpmem/objects/PersistentRefArray")) {
            return true; // the library's persistent arrays
        }
        return classBytes.apply(internal).map(classFile::parse).map(Enhancer::isPersistent).orElse(false);
    }

    /** Lays out the instance fields: largest first (natural alignment without padding), then by declaration. */
    private Layout layout(ClassModel model) {
        String className = model.thisClass().asInternalName().replace('/', '.');
        String superName = model.superclass().map(c -> c.asInternalName()).orElse("java/lang/Object");
        Map<String, Slot> placed = new LinkedHashMap<>();
        int offset = 0;
        ClassDesc persistentSuper = null;
        if (!superName.equals("java/lang/Object") && !superName.equals("java/lang/Record")) {
            Layout inherited = layoutOf(superName).orElseThrow(() -> new EnhancementException(className
                    + ": a @Persistent class must extend Object or another @Persistent class, or be a record (it extends "
                    + superName.replace('/', '.') + ")"));
            placed.putAll(inherited.slots());
            offset = inherited.byteSize();
            persistentSuper = ClassDesc.ofInternalName(superName);
        }
        List<Slot> slots = new ArrayList<>();
        for (FieldModel field : model.fields()) {
            int flags = field.flags().flagsMask();
            if ((flags & (ACC_STATIC | ACC_TRANSIENT | ACC_SYNTHETIC)) != 0) {
                continue;
            }
            String name = field.fieldName().stringValue();
            ClassDesc type = field.fieldTypeSymbol();
            FieldKind kind = kindOf(type);
            if (kind == null) {
                throw new EnhancementException(className + "." + name + ": field type "
                        + type.displayName() + " is not supported in a @Persistent class (supported: primitives, String, boxed"
                        + " primitives, references to @Persistent classes and persistent arrays; make it transient"
                        + " to keep it volatile)");
            }
            if (placed.containsKey(name)) {
                throw new EnhancementException(className + "." + name + ": hides a persistent field of a superclass;"
                        + " rename it");
            }
            slots.add(new Slot(name, type, kind, 0, holdingOf(type)));
        }
        List<Slot> ordered = new ArrayList<>(slots);
        ordered.sort(Comparator.comparingInt((Slot s) -> -s.kind().byteSize()));
        for (Slot slot : ordered) {
            placed.put(slot.name(), new Slot(slot.name(), slot.type(), slot.kind(), offset, slot.holding()));
            offset += slot.kind().byteSize(); // starts 8-aligned, largest first: every field naturally aligned
        }
        return new Layout((offset + 7) & -8, placed, persistentSuper);
    }

    private FieldKind kindOf(ClassDesc type) {
        return switch (type.descriptorString()) {
            case "Z" -> FieldKind.BOOLEAN;
            case "B" -> FieldKind.BYTE;
            case "C" -> FieldKind.CHAR;
            case "S" -> FieldKind.SHORT;
            case "I" -> FieldKind.INT;
            case "F" -> FieldKind.FLOAT;
            case "J" -> FieldKind.LONG;
            case "D" -> FieldKind.DOUBLE;
            default -> holdingOf(type) != Holding.OBJECT || isPersistentClass(type) ? FieldKind.REF : null;
        };
    }

    // ------------------------------------------------------------------ code

    private void rewrite(CodeBuilder builder, CodeElement element) {
        if (element instanceof java.lang.classfile.instruction.InvokeDynamicInstruction indy
                && indy.bootstrapMethod().owner().equals(OBJECT_METHODS)) {
            // A record's equals/hashCode/toString: its bootstrap gets field getters, whose fields the
            // enhancer deleted; hand it the static accessors that read the block instead.
            List<java.lang.constant.ConstantDesc> args = new ArrayList<>();
            boolean changed = false;
            for (java.lang.constant.ConstantDesc arg : indy.bootstrapArgs()) {
                if (arg instanceof java.lang.constant.DirectMethodHandleDesc getter
                        && getter.kind() == java.lang.constant.DirectMethodHandleDesc.Kind.GETTER) {
                    Optional<Slot> slot = layoutOf(getter.owner().descriptorString()
                            .substring(1, getter.owner().descriptorString().length() - 1))
                            .map(l -> l.slots().get(getter.methodName()));
                    if (slot.isPresent()) {
                        args.add(java.lang.constant.MethodHandleDesc.ofMethod(java.lang.constant.DirectMethodHandleDesc.Kind.STATIC,
                                getter.owner(), ACCESSOR_PREFIX + getter.methodName(),
                                MethodTypeDesc.of(slot.get().type(), getter.owner())));
                        changed = true;
                        continue;
                    }
                }
                args.add(arg);
            }
            if (changed) {
                builder.invokedynamic(java.lang.constant.DynamicCallSiteDesc.of(indy.bootstrapMethod(), indy.name().stringValue(),
                        indy.typeSymbol(), args.toArray(java.lang.constant.ConstantDesc[]::new)));
                return;
            }
        }
        if (element instanceof FieldInstruction fi && (fi.opcode() == Opcode.GETFIELD || fi.opcode() == Opcode.PUTFIELD)) {
            Optional<Slot> slot = slotOf(fi);
            if (slot.isPresent()) {
                emit(builder, fi.opcode() == Opcode.GETFIELD, slot.get());
                return;
            }
        }
        builder.with(element);
    }

    private static void emit(CodeBuilder b, boolean load, Slot slot) {
        String suffix = switch (slot.kind()) {
            case BOOLEAN -> "Boolean";
            case BYTE -> "Byte";
            case CHAR -> "Char";
            case SHORT -> "Short";
            case INT -> "Int";
            case FLOAT -> "Float";
            case LONG -> "Long";
            case DOUBLE -> "Double";
            case REF -> "Ref";
        };
        ClassDesc value = slot.kind() == FieldKind.REF ? ConstantDescs.CD_Object : slot.type();
        b.loadConstant(slot.offset());
        if (slot.holding() == Holding.STRING) {
            if (load) {
                b.invokestatic(BARRIERS, "getString", MethodTypeDesc.of(ConstantDescs.CD_String, ConstantDescs.CD_Object,
                        ConstantDescs.CD_int));
            } else {
                b.loadConstant(slot.name());
                b.invokestatic(BARRIERS, "putString", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object,
                        ConstantDescs.CD_String, ConstantDescs.CD_int, ConstantDescs.CD_String));
            }
            return;
        }
        if (slot.holding() == Holding.BOXED) {
            if (load) {
                b.loadConstant(slot.type());
                b.invokestatic(BARRIERS, "getBoxed", MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_Object,
                        ConstantDescs.CD_int, ConstantDescs.CD_Class));
                b.checkcast(slot.type());
            } else {
                b.loadConstant(slot.name());
                b.invokestatic(BARRIERS, "putBoxed", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object,
                        ConstantDescs.CD_Object, ConstantDescs.CD_int, ConstantDescs.CD_String));
            }
            return;
        }
        if (load) {
            if (slot.kind() == FieldKind.REF) {
                b.loadConstant(slot.type());
                b.invokestatic(BARRIERS, "getRef", MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_Object,
                        ConstantDescs.CD_int, ConstantDescs.CD_Class));
                b.checkcast(slot.type());
            } else {
                b.invokestatic(BARRIERS, "get" + suffix, MethodTypeDesc.of(value, ConstantDescs.CD_Object, ConstantDescs.CD_int));
            }
        } else if (slot.kind() == FieldKind.REF) {
            b.loadConstant(slot.name());
            b.invokestatic(BARRIERS, "putRef", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object,
                    ConstantDescs.CD_Object, ConstantDescs.CD_int, ConstantDescs.CD_String));
        } else {
            b.invokestatic(BARRIERS, "put" + suffix, MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object, value,
                    ConstantDescs.CD_int));
        }
    }

    /** In a constructor: after the {@code Object.<init>} call on {@code this}, allocate the block. */
    private static CodeTransform allocateAfterSuper(ClassDesc rootSuper) {
        return new CodeTransform() {
            int pendingNewObjects;
            boolean allocated;

            @Override
            public void accept(CodeBuilder builder, CodeElement element) {
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
                        builder.invokestatic(BARRIERS, "allocate", MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object));
                    }
                }
            }
        };
    }

    private static void addMembers(java.lang.classfile.ClassBuilder builder, ClassDesc self, Layout layout, ClassDesc rootSuper) {
        if (rootSuper.equals(RECORD)) {
            // Static accessors for the record's equals/hashCode/toString bootstrap (see rewrite).
            for (Slot slot : layout.slots().values()) {
                builder.withMethodBody(ACCESSOR_PREFIX + slot.name(), MethodTypeDesc.of(slot.type(), self),
                        ACC_PUBLIC | ACC_STATIC | ACC_SYNTHETIC, b -> {
                            b.aload(0);
                            emit(b, true, slot);
                            b.return_(java.lang.classfile.TypeKind.from(slot.type()));
                        });
            }
        }
        MethodTypeDesc wrapping = MethodTypeDesc.of(ConstantDescs.CD_void, WRAP, OBJECT_SPACE, ConstantDescs.CD_long);
        if (layout.superclass() != null) {
            // A persistent subclass: the first persistent class holds the handle state; wrap through it.
            builder.withMethodBody("<init>", wrapping, ACC_PUBLIC | ACC_SYNTHETIC,
                    b -> b.aload(0).aload(1).aload(2).lload(3).invokespecial(layout.superclass(), "<init>", wrapping).return_());
            builder.withMethodBody(LAYOUT_METHOD, MethodTypeDesc.of(ConstantDescs.CD_String), ACC_PUBLIC | ACC_STATIC | ACC_SYNTHETIC,
                    b -> b.loadConstant(layout.encoded()).areturn());
            return;
        }
        builder.withField(REF_FIELD, ConstantDescs.CD_long, ACC_PRIVATE | ACC_TRANSIENT | ACC_SYNTHETIC);
        builder.withField(SPACE_FIELD, OBJECT_SPACE, ACC_PRIVATE | ACC_TRANSIENT | ACC_SYNTHETIC);
        builder.withMethodBody("$jpmemRef", MethodTypeDesc.of(ConstantDescs.CD_long), ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC,
                b -> b.aload(0).getfield(self, REF_FIELD, ConstantDescs.CD_long).lreturn());
        builder.withMethodBody("$jpmemSpace", MethodTypeDesc.of(OBJECT_SPACE), ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC,
                b -> b.aload(0).getfield(self, SPACE_FIELD, OBJECT_SPACE).areturn());
        builder.withMethodBody("$jpmemBind", MethodTypeDesc.of(ConstantDescs.CD_void, OBJECT_SPACE, ConstantDescs.CD_long),
                ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC,
                b -> b.aload(0).aload(1).putfield(self, SPACE_FIELD, OBJECT_SPACE)
                        .aload(0).lload(2).putfield(self, REF_FIELD, ConstantDescs.CD_long).return_());
        builder.withMethodBody("<init>", wrapping, ACC_PUBLIC | ACC_SYNTHETIC,
                b -> b.aload(0).invokespecial(rootSuper, "<init>", ConstantDescs.MTD_void)
                        .aload(0).aload(2).lload(3)
                        .invokevirtual(self, "$jpmemBind", MethodTypeDesc.of(ConstantDescs.CD_void, OBJECT_SPACE, ConstantDescs.CD_long))
                        .return_());
        builder.withMethodBody(LAYOUT_METHOD, MethodTypeDesc.of(ConstantDescs.CD_String), ACC_PUBLIC | ACC_STATIC | ACC_SYNTHETIC,
                b -> b.loadConstant(layout.encoded()).areturn());
    }
}

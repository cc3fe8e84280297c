package io.jpmem.enhancer;

import static java.lang.classfile.ClassFile.ACC_FINAL;
import static java.lang.classfile.ClassFile.ACC_PRIVATE;
import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;
import static java.lang.classfile.ClassFile.ACC_TRANSIENT;

import io.jpmem.heap.FieldKind;
import io.jpmem.objects.spi.EnhancerAbi;
import io.jpmem.objects.spi.ValueCopyRule;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 */
public final class Enhancer {

    // The names the runtime knows are EnhancerAbi's; these are the enhancer's own.
    static final String REF_FIELD = "$jpmem$ref";
    static final String SPACE_FIELD = "$jpmem$space";
    static final String ACCESSOR_PREFIX = "$jpmem$get$";
    static final ClassDesc RECORD = ClassDesc.of("java.lang.Record");
    static final ClassDesc OBJECT_METHODS = ClassDesc.of("java.lang.runtime.ObjectMethods");

    static final String EARLY_METHOD = "$jpmem$early";
    static final String EARLY_PREFIX = "$jpmem$early$";

    /**
     * How a reference slot's value is held: a persistent object of a known class; an immutable copy
     * of a String or boxed primitive; or, for a field of a dynamic type (a type variable,
     * {@code Object}, {@code Number} or an interface), either of those, told apart by the block's type.
     */
    enum Holding { OBJECT, STRING, BOXED, ANY }

    /** One field moved into the block. */
    record Slot(String name, ClassDesc type, FieldKind kind, int offset, Holding holding) {}

    /** A declared String or boxed field holds a value copy ({@link ValueCopyRule}); a byte[] field is refused. */
    private static Holding holdingOf(ClassDesc type) {
        String descriptor = type.descriptorString();
        return ValueCopyRule.isStringDescriptor(descriptor) ? Holding.STRING
                : ValueCopyRule.isBoxDescriptor(descriptor) ? Holding.BOXED : Holding.OBJECT;
    }

    /**
     * The block layout of a persistent class: the fields of its persistent superclasses first, then
     * its own.
     *
     * @param superclass the persistent superclass, or null for the first persistent class of the hierarchy
     */
    record Layout(int byteSize, Map<String, Slot> slots, ClassDesc superclass) {

        /**
         * Emits {@code TypeLayout.ofRecord(className, byteSize, FieldLayout.of(name, KIND, offset), ...)},
         * the body of {@code $jpmem$layout()}.
         */
        void emit(CodeBuilder b, String className) {
            b.loadConstant(className).loadConstant(byteSize).loadConstant(slots.size()).anewarray(EnhancerAbi.FIELD_LAYOUT);
            int i = 0;
            for (Slot slot : slots.values()) {
                b.dup().loadConstant(i++).loadConstant(slot.name())
                        .getstatic(EnhancerAbi.FIELD_KIND, slot.kind().name(), EnhancerAbi.FIELD_KIND)
                        .loadConstant(slot.offset());
                invoke(b, EnhancerAbi.FIELD_LAYOUT_OF);
                b.aastore();
            }
            invoke(b, EnhancerAbi.TYPE_LAYOUT_OF_RECORD);
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
        if (model.methods().stream().anyMatch(m -> m.methodName().equalsString(EnhancerAbi.LAYOUT_METHOD))) {
            return Optional.empty(); // already enhanced
        }
        Optional<Layout> own = isPersistent(model) ? Optional.of(layout(model)) : Optional.empty();
        if (own.isEmpty() && !touchesPersistentFields(model)) {
            return Optional.empty();
        }
        Map<String, Set<Integer>> earlyStores = Map.of();
        if (own.isPresent()) {
            layouts.put(model.thisClass().asInternalName(), own);
            earlyStores = earlyStores(model, own.get());
        }
        Set<String> shadowed = shadowedFields(model, earlyStores);
        ClassDesc self = model.thisClass().asSymbol();
        CodeTransform rewrite = (builder, element) -> rewrite(builder, element);
        ClassTransform transform = ClassTransform.transformingMethodBodies(rewrite);
        ClassDesc rootSuper = model.superclass().map(c -> c.asSymbol()).orElse(ConstantDescs.CD_Object);
        if (own.isPresent()) {
            Layout layout = own.get();
            transform = ClassTransform.dropping(e -> e instanceof FieldModel f && layout.slots().containsKey(f.fieldName().stringValue())
                            && (f.flags().flagsMask() & ACC_STATIC) == 0)
                    .andThen(constructors(self, layout, rootSuper, earlyStores))
                    .andThen(transform)
                    .andThen(ClassTransform.endHandler(builder -> addMembers(builder, self, layout, rootSuper, shadowed)));
        }
        if (own.isPresent() && own.get().superclass() == null) {
            ClassTransform addInterface = (builder, element) -> {
                if (element instanceof java.lang.classfile.Interfaces interfaces) {
                    List<java.lang.classfile.constantpool.ClassEntry> all = new ArrayList<>(interfaces.interfaces());
                    all.add(builder.constantPool().classEntry(EnhancerAbi.PERSISTENT_OBJECT));
                    builder.withInterfaces(all);
                } else {
                    builder.with(element);
                }
            };
            transform = transform.andThen(addInterface);
        }
        ClassTransform withInterface = transform.andThen(linkToRuntime(model));
        return Optional.of(classFile.transformClass(model, withInterface));
    }

    /**
     * Starts the class's static initializer (adding one if it has none) with
     * {@code EnhancedCode.link(MethodHandles.lookup())}: the runtime then exports its SPI package, which
     * the rewritten code calls, to the class's module (see {@code io.jpmem.objects.EnhancedCode}).
     */
    private static ClassTransform linkToRuntime(ClassModel model) {
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
        invoke(b, EnhancerAbi.LOOKUP_FACTORY);
        invoke(b, EnhancerAbi.LINK);
    }

    /** Calls a runtime member of the enhancer ABI. */
    static void invoke(CodeBuilder b, EnhancerAbi.Member member) {
        switch (member.invoke()) {
            case STATIC -> b.invokestatic(member.owner(), member.name(), member.type());
            case INTERFACE -> b.invokeinterface(member.owner(), member.name(), member.type());
        }
    }

    private static boolean isPersistent(ClassModel model) {
        return model.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations())
                .map(RuntimeVisibleAnnotationsAttribute::annotations).orElse(List.of()).stream()
                .map(Annotation::classSymbol).anyMatch(EnhancerAbi.PERSISTENT::equals);
    }

    private static String methodKey(MethodModel method) {
        return method.methodName().stringValue() + method.methodTypeSymbol().descriptorString();
    }

    /**
     * Finds, in each constructor, the stores into persistent fields of the object under construction
     * made before {@code super(...)} or {@code this(...)} (an inner class's outer reference, JDK 25's
     * flexible constructor bodies): by constructor, the indexes of those {@code putfield}s among the
     * code's elements. They go to Java shadow fields until the block exists (see {@link #addMembers}).
     *
     * @throws EnhancementException if a constructor stores persistent fields but its code before the
     *     constructor call cannot be followed
     */
    private Map<String, Set<Integer>> earlyStores(ClassModel model, Layout layout) {
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
    private static Set<String> shadowedFields(ClassModel model, Map<String, Set<Integer>> earlyStores) {
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
    private static ClassTransform constructors(ClassDesc self, Layout layout, ClassDesc rootSuper,
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
                        invoke(builder, EnhancerAbi.ALLOCATE);
                        builder.aload(0);
                        builder.invokevirtual(self, EARLY_METHOD, ConstantDescs.MTD_void);
                    }
                }
            }
        };
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
        Optional<ClassModel> model = modelOf(internalName(type));
        return model.isPresent() && (isPersistent(model.get()) || implementsPersistentObject(model.get(), 0));
    }

    /** Hand-written persistent classes (persistent arrays, collections) implement PersistentObject themselves. */
    private boolean implementsPersistentObject(ClassModel model, int depth) {
        if (depth > 32 || (model.flags().flagsMask() & ClassFile.ACC_INTERFACE) != 0) {
            return false;
        }
        if (model.interfaces().stream().anyMatch(i -> i.asSymbol().equals(EnhancerAbi.PERSISTENT_OBJECT))) {
            return true;
        }
        return model.superclass().flatMap(s -> modelOf(s.asInternalName()))
                .map(superclass -> implementsPersistentObject(superclass, depth + 1)).orElse(false);
    }

    /**
     * A dynamic reference type, held as {@link Holding#ANY}: {@code Object} (an unbounded type
     * variable erases to it), {@code Number}, or an interface; its values are persistent objects or
     * value copies, checked at each store.
     */
    private boolean isDynamicType(ClassDesc type) {
        if (!type.isClassOrInterface()) {
            return false;
        }
        String name = internalName(type);
        if (name.equals("java/lang/Object") || name.equals("java/lang/Number")) {
            return true;
        }
        return modelOf(name).map(m -> (m.flags().flagsMask() & ClassFile.ACC_INTERFACE) != 0).orElse(false);
    }

    private static String internalName(ClassDesc type) {
        String descriptor = type.descriptorString();
        return descriptor.substring(1, descriptor.length() - 1);
    }

    /** A class's model: from the class bytes the enhancer was given, else the JDK's. */
    private Optional<ClassModel> modelOf(String internalName) {
        Optional<byte[]> bytes = classBytes.apply(internalName);
        if (bytes.isEmpty()) {
            try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
                bytes = in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (java.io.IOException e) {
                bytes = Optional.empty();
            }
        }
        return bytes.map(classFile::parse);
    }

    private Holding holdingFor(ClassDesc type) {
        Holding holding = holdingOf(type);
        return holding != Holding.OBJECT || isPersistentClass(type) ? holding : Holding.ANY;
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
            String name = field.fieldName().stringValue();
            ClassDesc type = field.fieldTypeSymbol();
            boolean outerReference = (flags & ACC_SYNTHETIC) != 0 && name.startsWith("this$");
            if ((flags & (ACC_STATIC | ACC_TRANSIENT)) != 0 || ((flags & ACC_SYNTHETIC) != 0 && !outerReference)) {
                continue;
            }
            if (outerReference && !isPersistentClass(type)) {
                throw new EnhancementException(className + ": a non-static inner class uses its enclosing instance, a "
                        + type.displayName() + ", which is not @Persistent; make " + type.displayName()
                        + " @Persistent, or make the inner class static");
            }
            FieldKind kind = kindOf(type);
            if (kind == null) {
                throw new EnhancementException(ValueCopyRule.notStorableMessage(className + "." + name,
                        "field type " + type.displayName()) + " (persistent arrays and collections among them); a field"
                        + " may also be a primitive, a String or boxed primitive (held as an immutable copy), or of type"
                        + " Object, Number or an interface (type variables) holding those; use a persistent array for a"
                        + " Java array; make it transient to keep it volatile");
            }
            if (placed.containsKey(name)) {
                throw new EnhancementException(className + "." + name + ": hides a persistent field of a superclass;"
                        + " rename it");
            }
            slots.add(new Slot(name, type, kind, 0, kind == FieldKind.REF ? holdingFor(type) : Holding.OBJECT));
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
            default -> holdingOf(type) != Holding.OBJECT || isPersistentClass(type) || isDynamicType(type) ? FieldKind.REF : null;
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
        b.loadConstant(slot.offset());
        switch (slot.holding()) {
            case STRING -> {
                if (load) {
                    invoke(b, EnhancerAbi.GET_STRING);
                } else {
                    b.loadConstant(slot.name());
                    invoke(b, EnhancerAbi.PUT_STRING);
                }
            }
            case ANY -> {
                if (load) {
                    invoke(b, EnhancerAbi.GET_ANY);
                    b.checkcast(slot.type());
                } else {
                    b.loadConstant(slot.name());
                    invoke(b, EnhancerAbi.PUT_ANY);
                }
            }
            case BOXED -> {
                if (load) {
                    b.loadConstant(slot.type());
                    invoke(b, EnhancerAbi.GET_BOXED);
                    b.checkcast(slot.type());
                } else {
                    b.loadConstant(slot.name());
                    invoke(b, EnhancerAbi.PUT_BOXED);
                }
            }
            case OBJECT -> {
                if (slot.kind() != FieldKind.REF) {
                    invoke(b, load ? EnhancerAbi.load(slot.kind()) : EnhancerAbi.store(slot.kind()));
                } else if (load) {
                    b.loadConstant(slot.type());
                    invoke(b, EnhancerAbi.GET_REF);
                    b.checkcast(slot.type());
                } else {
                    b.loadConstant(slot.name());
                    invoke(b, EnhancerAbi.PUT_REF);
                }
            }
        }
    }

    /**
     * The shadow field of each persistent field stored before super(), and {@code $jpmem$early()}:
     * called once, right after the block is allocated, it copies the shadow fields of this class (after
     * its superclasses') into the block and clears them.
     */
    private static void addEarlyStores(java.lang.classfile.ClassBuilder builder, ClassDesc self, Layout layout,
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
                    emit(b, false, slot);
                    b.aload(0).aconst_null().putfield(self, shadow, slot.type());
                    b.labelBinding(skip);
                } else {
                    b.aload(0).aload(0).getfield(self, shadow, slot.type());
                    emit(b, false, slot);
                }
            }
            b.return_();
        });
    }

    private static void addMembers(java.lang.classfile.ClassBuilder builder, ClassDesc self, Layout layout, ClassDesc rootSuper,
            Set<String> shadowed) {
        addEarlyStores(builder, self, layout, shadowed);
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
            invoke(b, EnhancerAbi.WRAP_CHECK);
            b.aload(0).aload(2).putfield(self, SPACE_FIELD, space)
                    .aload(0).lload(3).putfield(self, REF_FIELD, ConstantDescs.CD_long).return_();
        });
        builder.withMethodBody(ConstantDescs.INIT_NAME, wrapping, ACC_PUBLIC | ACC_SYNTHETIC,
                b -> b.aload(0).invokespecial(rootSuper, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                        .aload(0).aload(1).aload(2).lload(3)
                        .invokevirtual(self, bind.name(), bind.type())
                        .return_());
    }
}

package io.jpmem.enhancer;

import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;
import static java.lang.classfile.ClassFile.ACC_TRANSIENT;

import io.jpmem.heap.FieldKind;
import io.jpmem.objects.spi.EnhancerAbi;
import io.jpmem.objects.spi.ValueCopyRule;
import java.lang.classfile.Annotation;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.constant.ClassDesc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The enhancer's first job: which classes are persistent and where their fields go. It reads the
 * classes it needs (superclasses, owners of field accesses, field types) from its {@link ClassSource}
 * and remembers each layout, so a hierarchy is analysed once.
 *
 * <p>A layout puts the fields of the persistent superclasses first, then the class's own instance
 * fields (not static, transient or synthetic, but an inner class's outer reference), largest first so
 * every field is naturally aligned without padding. Each field has a {@link Holding}: how its slot
 * holds a reference. Unsupported field types are refused here, with the value-copy rule's error.
 */
final class LayoutAnalysis {

    /**
     * How a reference slot's value is held: a persistent object of a known class; an immutable copy
     * of a String or boxed primitive; or, for a field of a dynamic type (a type variable,
     * {@code Object}, {@code Number} or an interface), either of those, told apart by the block's type.
     */
    enum Holding { OBJECT, STRING, BOXED, ANY }

    /** One field moved into the block. */
    record Slot(String name, ClassDesc type, FieldKind kind, int offset, Holding holding) {}

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
                AbiCalls.invoke(b, EnhancerAbi.FIELD_LAYOUT_OF);
                b.aastore();
            }
            AbiCalls.invoke(b, EnhancerAbi.TYPE_LAYOUT_OF_RECORD);
        }
    }

    private final ClassSource classes;
    private final Map<String, Optional<Layout>> layouts = new ConcurrentHashMap<>();

    LayoutAnalysis(ClassSource classes) {
        this.classes = classes;
    }

    /** {@return whether the class is annotated {@code @Persistent}} */
    static boolean isPersistent(ClassModel model) {
        return model.findAttribute(java.lang.classfile.Attributes.runtimeVisibleAnnotations())
                .map(RuntimeVisibleAnnotationsAttribute::annotations).orElse(List.of()).stream()
                .map(Annotation::classSymbol).anyMatch(EnhancerAbi.PERSISTENT::equals);
    }

    /** {@return whether the class was enhanced already: it has the layout method} */
    static boolean isEnhanced(ClassModel model) {
        return model.methods().stream().anyMatch(m -> m.methodName().equalsString(EnhancerAbi.LAYOUT_METHOD));
    }

    /** {@return the layout of a persistent class being enhanced, remembered for the classes that use its fields} */
    Layout analyse(ClassModel model) {
        Layout layout = layout(model);
        layouts.put(model.thisClass().asInternalName(), Optional.of(layout));
        return layout;
    }

    /** A declared String or boxed field holds a value copy ({@link ValueCopyRule}); a byte[] field is refused. */
    private static Holding holdingOf(ClassDesc type) {
        String descriptor = type.descriptorString();
        return ValueCopyRule.isStringDescriptor(descriptor) ? Holding.STRING
                : ValueCopyRule.isBoxDescriptor(descriptor) ? Holding.BOXED : Holding.OBJECT;
    }

    /** {@return whether some method of {@code model} reads or writes a field of a persistent class} */
    boolean touchesPersistentFields(ClassModel model) {
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

    /** {@return the slot a {@code getfield}/{@code putfield} accesses, or empty if it is not a persistent field} */
    Optional<Slot> slotOf(FieldInstruction fi) {
        return layoutOf(fi.owner().asInternalName()).map(l -> l.slots().get(fi.name().stringValue()));
    }

    /** {@return the layout of a persistent class by internal name, or empty if it is not one} */
    Optional<Layout> layoutOf(String internalName) {
        Optional<Layout> known = layouts.get(internalName);
        if (known != null) {
            return known;
        }
        Optional<Layout> found = classes.model(internalName)
                .filter(LayoutAnalysis::isPersistent).map(this::layout);
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

    private Optional<ClassModel> modelOf(String internalName) {
        return classes.model(internalName);
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
}

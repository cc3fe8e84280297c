package io.jpmem.objects.spi;

import io.jpmem.heap.FieldKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * Every name and descriptor the enhancer and the object runtime agree on, in one place: the classes
 * enhanced code names, the runtime methods it calls, and the members the enhancer generates that the
 * runtime calls back. The enhancer emits code from these constants and the runtime looks members up
 * by them; {@code EnhancerAbiTest} resolves each one against the runtime's classes, so a rename breaks
 * a test rather than a user's program.
 *
 * <h2>What an enhanced class has</h2>
 * <ul>
 *   <li>{@code implements} {@link #PERSISTENT_OBJECT} (the first persistent class of a hierarchy),
 *       with {@link #REF_METHOD}, {@link #SPACE_METHOD} and {@link #BIND_METHOD}; {@code $jpmemBind}
 *       first runs {@link #WRAP_CHECK};
 *   <li>a wrapping constructor of type {@link #WRAPPING_CONSTRUCTOR}, through which the runtime makes
 *       the handle of an existing block;
 *   <li>{@link #LAYOUT_METHOD}, a static method of type {@link #LAYOUT_METHOD_TYPE} returning the
 *       block layout built with {@link #TYPE_LAYOUT_OF_RECORD} and {@link #FIELD_LAYOUT_OF};
 *   <li>a static initializer that starts with {@link #LINK};
 *   <li>constructors that call {@link #ALLOCATE} after {@code Object.<init>}, and field accesses
 *       rewritten into {@link #load}/{@link #store} and the String/boxed/any/reference barriers.
 * </ul>
 */
public final class EnhancerAbi {

    private EnhancerAbi() {}

    /** How a member is invoked. */
    public enum Invoke { STATIC, INTERFACE }

    /** A method of a runtime class that enhanced code calls, or that the runtime calls on enhanced code. */
    public record Member(ClassDesc owner, String name, MethodTypeDesc type, Invoke invoke) {}

    // ------------------------------------------------------------------ classes

    public static final ClassDesc PERSISTENT = ClassDesc.of("io.jpmem.objects.Persistent");
    public static final ClassDesc PERSISTENT_OBJECT = ClassDesc.of("io.jpmem.objects.PersistentObject");
    public static final ClassDesc OBJECT_SPACE = ClassDesc.of("io.jpmem.objects.ObjectSpace");
    public static final ClassDesc WRAP = ClassDesc.of("io.jpmem.objects.Wrap");
    public static final ClassDesc ENHANCED_CODE = ClassDesc.of("io.jpmem.objects.EnhancedCode");
    public static final ClassDesc BARRIERS = ClassDesc.of("io.jpmem.objects.spi.Barriers");
    public static final ClassDesc TYPE_LAYOUT = ClassDesc.of("io.jpmem.heap.TypeLayout");
    public static final ClassDesc FIELD_LAYOUT = ClassDesc.of("io.jpmem.heap.FieldLayout");
    public static final ClassDesc FIELD_KIND = ClassDesc.of("io.jpmem.heap.FieldKind");
    public static final ClassDesc LOOKUP = ClassDesc.of("java.lang.invoke.MethodHandles$Lookup");

    private static final ClassDesc OBJECT = ConstantDescs.CD_Object;
    private static final ClassDesc STRING = ConstantDescs.CD_String;
    private static final ClassDesc INT = ConstantDescs.CD_int;
    private static final ClassDesc VOID = ConstantDescs.CD_void;

    // ------------------------------------------------------------------ generated members

    /** The block reference of a handle. */
    public static final Member REF_METHOD = new Member(PERSISTENT_OBJECT, "$jpmemRef",
            MethodTypeDesc.of(ConstantDescs.CD_long), Invoke.INTERFACE);
    /** The object space of a handle. */
    public static final Member SPACE_METHOD = new Member(PERSISTENT_OBJECT, "$jpmemSpace",
            MethodTypeDesc.of(OBJECT_SPACE), Invoke.INTERFACE);
    /** Binds a handle to its block, given the runtime's token. */
    public static final Member BIND_METHOD = new Member(PERSISTENT_OBJECT, "$jpmemBind",
            MethodTypeDesc.of(VOID, WRAP, OBJECT_SPACE, ConstantDescs.CD_long), Invoke.INTERFACE);
    /** The wrapping constructor's type, {@code (Wrap, ObjectSpace, long)}. */
    public static final MethodTypeDesc WRAPPING_CONSTRUCTOR = MethodTypeDesc.of(VOID, WRAP, OBJECT_SPACE,
            ConstantDescs.CD_long);
    /** The static method that returns a persistent class's block layout (and marks a class as enhanced). */
    public static final String LAYOUT_METHOD = "$jpmem$layout";
    /** Its type: {@code () -> TypeLayout}. */
    public static final MethodTypeDesc LAYOUT_METHOD_TYPE = MethodTypeDesc.of(TYPE_LAYOUT);

    // ------------------------------------------------------------------ runtime members enhanced code calls

    /** Refuses a token that is not the runtime's. */
    public static final Member WRAP_CHECK = new Member(WRAP, "check", MethodTypeDesc.of(VOID, WRAP), Invoke.STATIC);
    /** Exports the SPI package to the calling class's module; the first call of every enhanced static initializer. */
    public static final Member LINK = new Member(ENHANCED_CODE, "link", MethodTypeDesc.of(VOID, LOOKUP), Invoke.STATIC);
    /** {@code MethodHandles.lookup()}, the argument of {@link #LINK}. */
    public static final Member LOOKUP_FACTORY = new Member(ClassDesc.of("java.lang.invoke.MethodHandles"), "lookup",
            MethodTypeDesc.of(LOOKUP), Invoke.STATIC);
    /** Allocates the block of a new object; called right after {@code Object.<init>} or {@code Record.<init>}. */
    public static final Member ALLOCATE = barrier("allocate", VOID, OBJECT);
    /** {@code TypeLayout.ofRecord(String, int, FieldLayout...)}. */
    public static final Member TYPE_LAYOUT_OF_RECORD = new Member(TYPE_LAYOUT, "ofRecord",
            MethodTypeDesc.of(TYPE_LAYOUT, STRING, INT, FIELD_LAYOUT.arrayType()), Invoke.STATIC);
    /** {@code FieldLayout.of(String, FieldKind, int)}. */
    public static final Member FIELD_LAYOUT_OF = new Member(FIELD_LAYOUT, "of",
            MethodTypeDesc.of(FIELD_LAYOUT, STRING, FIELD_KIND, INT), Invoke.STATIC);

    /** Loads a String copy: {@code (self, offset) -> String}. */
    public static final Member GET_STRING = barrier("getString", STRING, OBJECT, INT);
    /** Stores a String copy: {@code (self, value, offset, fieldName)}. */
    public static final Member PUT_STRING = barrier("putString", VOID, OBJECT, STRING, INT, STRING);
    /** Loads a boxed copy: {@code (self, offset, boxClass) -> Object}. */
    public static final Member GET_BOXED = barrier("getBoxed", OBJECT, OBJECT, INT, ConstantDescs.CD_Class);
    /** Stores a boxed copy: {@code (self, value, offset, fieldName)}. */
    public static final Member PUT_BOXED = barrier("putBoxed", VOID, OBJECT, OBJECT, INT, STRING);
    /** Loads a slot of a dynamic type: {@code (self, offset) -> Object}. */
    public static final Member GET_ANY = barrier("getAny", OBJECT, OBJECT, INT);
    /** Stores into a slot of a dynamic type: {@code (self, value, offset, fieldName)}. */
    public static final Member PUT_ANY = barrier("putAny", VOID, OBJECT, OBJECT, INT, STRING);
    /** Loads a reference: {@code (self, offset, expectedClass) -> Object}. */
    public static final Member GET_REF = barrier("getRef", OBJECT, OBJECT, INT, ConstantDescs.CD_Class);
    /** Stores a reference: {@code (self, value, offset, fieldName)}. */
    public static final Member PUT_REF = barrier("putRef", VOID, OBJECT, OBJECT, INT, STRING);

    /** {@return the barrier that loads a primitive field of {@code kind}: {@code (self, offset) -> value}} */
    public static Member load(FieldKind kind) {
        primitive(kind);
        return barrier("get" + suffix(kind), javaType(kind), OBJECT, INT);
    }

    /** {@return the barrier that stores a primitive field of {@code kind}: {@code (self, value, offset)}} */
    public static Member store(FieldKind kind) {
        primitive(kind);
        return barrier("put" + suffix(kind), VOID, OBJECT, javaType(kind), INT);
    }

    /** {@return every runtime member enhanced code calls, or the runtime calls on it, for checking} */
    public static List<Member> members() {
        List<Member> all = new ArrayList<>(List.of(REF_METHOD, SPACE_METHOD, BIND_METHOD, WRAP_CHECK, LINK,
                LOOKUP_FACTORY, ALLOCATE, TYPE_LAYOUT_OF_RECORD, FIELD_LAYOUT_OF, GET_STRING, PUT_STRING, GET_BOXED,
                PUT_BOXED, GET_ANY, PUT_ANY, GET_REF, PUT_REF));
        for (FieldKind kind : FieldKind.values()) {
            if (kind != FieldKind.REF) {
                all.add(load(kind));
                all.add(store(kind));
            }
        }
        return List.copyOf(all);
    }

    private static Member barrier(String name, ClassDesc returns, ClassDesc... parameters) {
        return new Member(BARRIERS, name, MethodTypeDesc.of(returns, parameters), Invoke.STATIC);
    }

    private static void primitive(FieldKind kind) {
        if (kind == FieldKind.REF) {
            throw new IllegalArgumentException("references have their own barriers (GET_REF, PUT_REF, ...)");
        }
    }

    private static String suffix(FieldKind kind) {
        String name = kind.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static ClassDesc javaType(FieldKind kind) {
        return switch (kind) {
            case BOOLEAN -> ConstantDescs.CD_boolean;
            case BYTE -> ConstantDescs.CD_byte;
            case CHAR -> ConstantDescs.CD_char;
            case SHORT -> ConstantDescs.CD_short;
            case INT -> ConstantDescs.CD_int;
            case FLOAT -> ConstantDescs.CD_float;
            case LONG -> ConstantDescs.CD_long;
            case DOUBLE -> ConstantDescs.CD_double;
            case REF -> OBJECT;
        };
    }
}

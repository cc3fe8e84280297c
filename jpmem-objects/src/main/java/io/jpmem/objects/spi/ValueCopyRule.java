package io.jpmem.objects.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one rule for which Java classes a persistent slot holds as an immutable persistent <em>value
 * copy</em> rather than by reference, and the one error for a value that can be held neither way.
 *
 * <p>Value classes: {@code String} (UTF-8 bytes), {@code byte[]} (its bytes) and the eight boxed
 * primitives (one 8-byte word). A copy belongs to the one slot that points at it. Each value class is
 * a heap type named after the class ({@link #heapTypeName}), so a slot of a dynamic type tells a copy
 * from a persistent object by its block's type.
 *
 * <p>Used by the runtime ({@code ObjectSpace}, the field barriers), the collections (keys, values and
 * elements) and the enhancer (which field types are held as copies, and its build-time error), so
 * the three can never disagree on the set or on the words of the error.
 */
public final class ValueCopyRule {

    private ValueCopyRule() {}

    /** The value classes by heap type name, in a fixed order: String, byte[], then the boxes. */
    private static final Map<String, Class<?>> BY_TYPE_NAME;

    static {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {String.class, byte[].class, Long.class, Integer.class, Short.class,
                Byte.class, Character.class, Boolean.class, Float.class, Double.class}) {
            byName.put(c.getName().equals("[B") ? "byte[]" : c.getName(), c);
        }
        BY_TYPE_NAME = java.util.Collections.unmodifiableMap(byName);
    }

    /** The boxed primitive classes, whose copies are one 8-byte word. */
    private static final Set<Class<?>> BOXES = Set.of(Long.class, Integer.class, Short.class, Byte.class,
            Character.class, Boolean.class, Float.class, Double.class);

    /** The descriptors of the boxed primitive classes ({@code "Ljava/lang/Long;"}, ...). */
    private static final Set<String> BOX_DESCRIPTORS = BOXES.stream().map(Class::descriptorString)
            .collect(Collectors.toUnmodifiableSet());

    /** {@return whether instances of {@code type} are stored as value copies} */
    public static boolean isValueClass(Class<?> type) {
        return type == String.class || type == byte[].class || BOXES.contains(type);
    }

    /** {@return whether {@code type} is a boxed primitive class (a one-word copy)} */
    public static boolean isBoxClass(Class<?> type) {
        return BOXES.contains(type);
    }

    /** {@return whether a field descriptor names {@code String}} */
    public static boolean isStringDescriptor(String descriptor) {
        return descriptor.equals(String.class.descriptorString());
    }

    /** {@return whether a field descriptor names a boxed primitive class} */
    public static boolean isBoxDescriptor(String descriptor) {
        return BOX_DESCRIPTORS.contains(descriptor);
    }

    /** {@return the heap type name of a value class's copies: its class name, {@code "byte[]"} for byte arrays} */
    public static String heapTypeName(Class<?> valueClass) {
        if (!isValueClass(valueClass)) {
            throw notStorable("heap type", valueClass.getName());
        }
        return valueClass == byte[].class ? "byte[]" : valueClass.getName();
    }

    /** {@return the value class whose copies have heap type {@code typeName}, or null if it names none} */
    public static Class<?> valueClassOfHeapType(String typeName) {
        return BY_TYPE_NAME.get(typeName);
    }

    /**
     * The words every "cannot be stored" error uses after the type name: the runtime's (a value
     * stored into a persistent slot) and the enhancer's (a field type), so they read the same.
     */
    public static final String NOT_STORABLE = " is not a @Persistent class (was it enhanced?); only persistent objects"
            + " can be stored";

    /**
     * {@return the message for a value of class {@code typeName} that can be stored in {@code where}
     * neither by reference nor as a value copy}
     *
     * @param where names the slot, e.g. {@code "Order.customer"} or {@code "PHashMap key"}
     * @param typeName the class of the refused value, or {@code "field type X"} for a declared type
     */
    public static String notStorableMessage(String where, String typeName) {
        return where + ": " + typeName + NOT_STORABLE;
    }

    /** {@return the exception for {@link #notStorableMessage}} */
    public static IllegalArgumentException notStorable(String where, String typeName) {
        return new IllegalArgumentException(notStorableMessage(where, typeName));
    }
}

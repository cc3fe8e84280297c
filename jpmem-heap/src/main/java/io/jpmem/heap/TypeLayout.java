package io.jpmem.heap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The layout of one kind of persistent block, as the type table records it: what the class is
 * called and where its fields, in particular its references, lie. Because the heap records this,
 * a tool can check, collect and dump a heap without the application's classes.
 *
 * @param className the Java class name (or any stable type name for raw blocks)
 * @param shape a fixed record of fields, or an array
 * @param elementKind for an array, the kind of its elements; {@code null} for a record
 * @param instanceByteSize for a record, the block's payload size; for an array, 0 (the length is
 *     per block)
 * @param fields for a record, its fields, which must not overlap; empty for an array
 */
public record TypeLayout(String className, Shape shape, FieldKind elementKind, int instanceByteSize,
                         List<FieldLayout> fields) {

    /** Whether a block is a record of fields or an array of one element kind. */
    public enum Shape { RECORD, ARRAY }

    /**
     * @throws IllegalArgumentException if the name is empty or longer than 1024 UTF-8 bytes, fields
     *     overlap, share a name or lie outside the block, or an array has fields or no element kind
     */
    public TypeLayout {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(shape, "shape");
        fields = List.copyOf(fields);
        int nameBytes = className.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > 1024) {
            throw new IllegalArgumentException("type name must have 1 to 1024 UTF-8 bytes: \"" + className + "\"");
        }
        if (shape == Shape.ARRAY) {
            if (elementKind == null || !fields.isEmpty() || instanceByteSize != 0) {
                throw new IllegalArgumentException(className + ": an array type has an element kind, no fields and size 0");
            }
        } else {
            if (elementKind != null) {
                throw new IllegalArgumentException(className + ": a record type has no element kind");
            }
            if (instanceByteSize < 0) {
                throw new IllegalArgumentException(className + ": negative size " + instanceByteSize);
            }
            Set<String> names = new HashSet<>();
            byte[] used = new byte[instanceByteSize];
            for (FieldLayout field : fields) {
                if (!names.add(field.name())) {
                    throw new IllegalArgumentException(className + ": two fields named " + field.name());
                }
                if (field.offset() + field.kind().byteSize() > instanceByteSize) {
                    throw new IllegalArgumentException(className + "." + field.name() + " ends beyond the block's "
                            + instanceByteSize + " bytes");
                }
                for (int i = field.offset(); i < field.offset() + field.kind().byteSize(); i++) {
                    if (used[i]++ != 0) {
                        throw new IllegalArgumentException(className + "." + field.name() + " overlaps another field");
                    }
                }
            }
        }
    }

    /** {@return a record type} */
    public static TypeLayout ofRecord(String className, int instanceByteSize, FieldLayout... fields) {
        return new TypeLayout(className, Shape.RECORD, null, instanceByteSize, List.of(fields));
    }

    /** {@return an array type} */
    public static TypeLayout ofArray(String className, FieldKind elementKind) {
        return new TypeLayout(className, Shape.ARRAY, Objects.requireNonNull(elementKind, "elementKind"), 0, List.of());
    }

    /** {@return the offsets of the reference fields of a record, ascending} */
    public int[] referenceOffsets() {
        return fields.stream().filter(f -> f.kind() == FieldKind.REF).mapToInt(FieldLayout::offset).sorted().toArray();
    }

    /**
     * {@return a 64-bit digest of everything but the name order of fields: shape, element kind,
     * size and each field's name, kind and offset} Two layouts with equal fingerprints are
     * interchangeable.
     */
    public long fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((className + '|' + shape + '|' + elementKind + '|' + instanceByteSize).getBytes(StandardCharsets.UTF_8));
            fields.stream().sorted(java.util.Comparator.comparingInt(FieldLayout::offset)).forEach(f ->
                    sha.update(("|" + f.name() + ':' + f.kind() + '@' + f.offset()).getBytes(StandardCharsets.UTF_8)));
            byte[] digest = sha.digest();
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** {@return the first difference between this layout (as recorded) and {@code other} (as asked), in words} */
    public String differenceFrom(TypeLayout other) {
        if (shape != other.shape) {
            return "the heap records a " + shape + ", the class is a " + other.shape;
        }
        if (elementKind != other.elementKind) {
            return "element kind " + elementKind + " in the heap, " + other.elementKind + " now";
        }
        for (FieldLayout recorded : fields) {
            FieldLayout now = other.fields.stream().filter(f -> f.name().equals(recorded.name())).findFirst().orElse(null);
            if (now == null) {
                return "field " + recorded.name() + " (" + recorded.kind() + ") is in the heap but no longer in the class";
            }
            if (now.kind() != recorded.kind()) {
                return "field " + recorded.name() + " was " + recorded.kind() + ", is now " + now.kind();
            }
            if (now.offset() != recorded.offset()) {
                return "field " + recorded.name() + " moved from offset " + recorded.offset() + " to " + now.offset();
            }
        }
        for (FieldLayout now : other.fields) {
            if (fields.stream().noneMatch(f -> f.name().equals(now.name()))) {
                return "field " + now.name() + " (" + now.kind() + ") is new in the class";
            }
        }
        if (instanceByteSize != other.instanceByteSize) {
            return "block size was " + instanceByteSize + " bytes, is now " + other.instanceByteSize;
        }
        return "layouts differ";
    }
}

package io.jpmem.heap;

import java.util.Objects;

/**
 * One field of a persistent block.
 *
 * @param name the field's name, as in the Java class
 * @param kind its kind and size
 * @param offset its byte offset in the block, a multiple of {@code kind.byteSize()}
 */
public record FieldLayout(String name, FieldKind kind, int offset) {

    /**
     * @throws IllegalArgumentException if the name is empty or the offset negative or misaligned
     */
    public FieldLayout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("field name is empty");
        }
        if (offset < 0 || offset % kind.byteSize() != 0) {
            throw new IllegalArgumentException("field " + name + ": offset " + offset + " is not a non-negative multiple of "
                    + kind.byteSize());
        }
    }

    /** {@return a field} */
    public static FieldLayout of(String name, FieldKind kind, int offset) {
        return new FieldLayout(name, kind, offset);
    }
}

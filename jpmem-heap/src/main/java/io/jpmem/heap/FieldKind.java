package io.jpmem.heap;

/** The kind of a field in a persistent block, with its size in bytes and its code in the type table. */
public enum FieldKind {
    BOOLEAN(1, 1), BYTE(2, 1), CHAR(3, 2), SHORT(4, 2), INT(5, 4), FLOAT(6, 4), LONG(7, 8), DOUBLE(8, 8),
    /** A reference to another block: an 8-byte offset from the heap base, 0 for null. */
    REF(9, 8);

    private final int code;
    private final int byteSize;

    FieldKind(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** {@return the code stored in the type table} */
    public int code() {
        return code;
    }

    /** {@return the field's size, which is also its alignment} */
    public int byteSize() {
        return byteSize;
    }

    /**
     * {@return the kind with this type-table code}
     *
     * @throws IllegalArgumentException if no kind has that code
     */
    public static FieldKind ofCode(int code) {
        for (FieldKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no field kind with code " + code);
    }
}

package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.TypeLayout;

/**
 * The block layouts of {@link PHashMap} and {@link PHashSet}: one place for every offset.
 *
 * <pre>
 * header (48 bytes, type io.jpmem.collections.PHashMap or .PHashSet)
 *   0  size         LONG  number of entries
 *   8  table        REF   the main table (its directory, below) of 2^k buckets; 0 until the first insert
 *   16 newTable     REF   the directory of the table being filled while a rehash is in progress, else 0
 *   24 rehashIndex  LONG  next bucket of table to move into newTable (buckets below it are empty)
 *   32 mask         LONG  buckets of table - 1
 *   40 newMask      LONG  buckets of newTable - 1
 * entry (40 bytes, type io.jpmem.collections.PHashMap.Entry)
 *   0  next         REF   the next entry of the bucket's chain
 *   8  key          REF   a String or byte[] copy owned by the entry, or a persistent object; 0 for
 *                         boxed keys (kept inline in keyBits) and the null key
 *   16 value        REF   a value copy owned by the entry, a persistent object, or 0 (null)
 *   24 hashWord     LONG  key kind (KeyProbe tag) &lt;&lt; 32 | the key's 32-bit hash
 *   32 keyBits      LONG  a boxed key's bits, or the byte length of a String/byte[] key
 * table: a directory (REF array, type io.jpmem.collections.PHashMap.Table) of max(1, buckets / 512)
 *   segments; a segment (same type) holds min(buckets, 512) chain heads and is allocated when its
 *   first entry arrives, so a new table costs 8 bytes per 512 buckets up front, not 8 per bucket;
 *   during a rehash, each old segment is freed as soon as its last bucket has moved
 * </pre>
 */
final class HashLayout {

    private HashLayout() {}

    static final int SIZE = 0;
    static final int TABLE = 8;
    static final int NEW_TABLE = 16;
    static final int REHASH_INDEX = 24;
    static final int MASK = 32;
    static final int NEW_MASK = 40;
    static final int HEADER_BYTES = 48;

    /** {@return the header layout of {@code type} (PHashMap or PHashSet), what its {@code $jpmem$layout()} returns} */
    static TypeLayout header(Class<?> type) {
        return TypeLayout.ofRecord(type.getName(), HEADER_BYTES,
                FieldLayout.of("size", FieldKind.LONG, SIZE),
                FieldLayout.of("table", FieldKind.REF, TABLE),
                FieldLayout.of("newTable", FieldKind.REF, NEW_TABLE),
                FieldLayout.of("rehashIndex", FieldKind.LONG, REHASH_INDEX),
                FieldLayout.of("mask", FieldKind.LONG, MASK),
                FieldLayout.of("newMask", FieldKind.LONG, NEW_MASK));
    }

    static final int NEXT = 0;
    static final int KEY = 8;
    static final int VALUE = 16;
    static final int HASH_WORD = 24;
    static final int KEY_BITS = 32;
    static final int ENTRY_BYTES = 40;

    static final TypeLayout ENTRY = TypeLayout.ofRecord("io.jpmem.collections.PHashMap.Entry", ENTRY_BYTES,
            FieldLayout.of("next", FieldKind.REF, NEXT), FieldLayout.of("key", FieldKind.REF, KEY),
            FieldLayout.of("value", FieldKind.REF, VALUE), FieldLayout.of("hashWord", FieldKind.LONG, HASH_WORD),
            FieldLayout.of("keyBits", FieldKind.LONG, KEY_BITS));

    static final TypeLayout TABLE_TYPE = TypeLayout.ofArray("io.jpmem.collections.PHashMap.Table", FieldKind.REF);

    /**
     * The block header before every payload (docs/ARCHITECTURE.md, "Block"): u32 type id at
     * reference - 8, u32 payload bytes at reference - 4. Read directly on the hot read path, which
     * knows its references are live blocks, to skip the allocator's validation.
     */
    static final int BLOCK_TYPE_ID = -8;
    static final int BLOCK_PAYLOAD_BYTES = -4;

    /** The type name of String copies (see {@code ObjectSpace.store}): the UTF-8 bytes in a BYTE array block. */
    static final String STRING_COPY_TYPE = "java.lang.String";

    /** Buckets per segment of a table (a power of two): 4 KiB of chain heads. */
    static final long SEGMENT_BUCKETS = 512;
    static final int SEGMENT_SHIFT = 9;

    /** The smallest table; a new map allocates it at its first insert. */
    static final int MIN_CAPACITY = 8;
}

package io.jpmem.heap.internal.format;

import static io.jpmem.heap.internal.format.HeapFormat.TE_CHECKSUM;
import static io.jpmem.heap.internal.format.HeapFormat.TE_FIELD_COUNT;
import static io.jpmem.heap.internal.format.HeapFormat.TE_NAME_BYTES;
import static io.jpmem.heap.internal.format.HeapFormat.TT_USED_BYTES;
import static io.jpmem.heap.internal.format.HeapFormat.TYPE_TABLE_HEADER_BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.TypeLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A type entry whose checksum is right but whose lengths are not (a bug, or bytes forged to match)
 * is reported as a problem of the table, which makes the heap CORRUPT, never an exception out of
 * the decoder.
 */
class TypeEntryCodecTest {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @ValueSource(ints = {TE_NAME_BYTES, TE_FIELD_COUNT})
    void aChecksumValidEntryWithABadLengthIsAProblemNotAnException(int lengthField) {
        byte[] entry = TypeEntryCodec.encode(1, TypeLayout.ofRecord("test.Point", 16,
                FieldLayout.of("x", FieldKind.LONG, 0), FieldLayout.of("y", FieldKind.LONG, 8)));
        MemorySegment e = MemorySegment.ofArray(entry);
        e.set(LE_SHORT, lengthField, (short) 0x7FFF); // far past the entry's end
        e.set(LE_INT, TE_CHECKSUM, 0);
        e.set(LE_INT, TE_CHECKSUM, Checksums.crc32c(entry));
        MemorySegment table = MemorySegment.ofArray(new long[(TYPE_TABLE_HEADER_BYTES + entry.length + 64) / 8]); // 8-aligned, as the mapping
        table.set(LE_LONG, TT_USED_BYTES, entry.length);
        MemorySegment.copy(e, 0, table, TYPE_TABLE_HEADER_BYTES, entry.length);

        TypeEntryCodec.Decoded decoded = TypeEntryCodec.decodeTable(table);

        assertEquals(List.of(), decoded.types());
        assertEquals(1, decoded.problems().size(), decoded.problems().toString());
        assertTrue(decoded.problems().getFirst().startsWith("type table: entry 1 at "), decoded.problems().toString());
    }
}

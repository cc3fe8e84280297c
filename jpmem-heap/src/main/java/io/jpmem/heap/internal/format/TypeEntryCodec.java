package io.jpmem.heap.internal.format;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.TypeLayout;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Encodes and decodes type table entries (layout in {@link HeapFormat}, {@code TE_*}). */
public final class TypeEntryCodec {

    private TypeEntryCodec() {}

    /** {@return the entry bytes for a type, padded to a multiple of 8, checksum set} */
    public static byte[] encode(int typeId, TypeLayout layout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[TE_FIXED_BYTES]);
        byte[] name = layout.className().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(name);
        for (FieldLayout field : layout.fields()) {
            byte[] fieldName = field.name().getBytes(StandardCharsets.UTF_8);
            if (fieldName.length > 0xFFFF) {
                throw new IllegalArgumentException("field name too long: " + field.name());
            }
            out.write(fieldName.length & 0xFF);
            out.write(fieldName.length >>> 8);
            out.writeBytes(fieldName);
            out.write(field.kind().code());
            int offset = field.offset();
            for (int i = 0; i < 4; i++) {
                out.write(offset >>> (8 * i));
            }
        }
        int length = (int) alignUp(out.size(), TYPE_ENTRY_ALIGN);
        out.writeBytes(new byte[length - out.size()]);
        byte[] entry = out.toByteArray();
        if (layout.fields().size() > 0xFFFF) {
            throw new IllegalArgumentException("too many fields in " + layout.className());
        }
        MemorySegment s = MemorySegment.ofArray(entry);
        s.set(LE_INT_UNALIGNED, TE_ENTRY_BYTES, length);
        s.set(LE_INT_UNALIGNED, TE_TYPE_ID, typeId);
        s.set(LE_LONG_UNALIGNED, TE_FINGERPRINT, layout.fingerprint());
        s.set(LE_INT_UNALIGNED, TE_INSTANCE_BYTES, layout.instanceByteSize());
        s.set(ValueLayout.JAVA_BYTE, TE_SHAPE, (byte) layout.shape().ordinal());
        s.set(ValueLayout.JAVA_BYTE, TE_ELEMENT_KIND, (byte) (layout.elementKind() == null ? 0 : layout.elementKind().code()));
        s.set(LE_SHORT_UNALIGNED, TE_NAME_BYTES, (short) name.length);
        s.set(LE_SHORT_UNALIGNED, TE_FIELD_COUNT, (short) layout.fields().size());
        s.set(LE_INT_UNALIGNED, TE_CHECKSUM, Checksums.crc32c(entry));
        return entry;
    }

    /** The entries of a type table, and what was wrong with it. */
    public record Decoded(List<HeapType> types, List<String> problems) {}

    /**
     * Decodes every published entry of a type table.
     *
     * @param table the type table region, header included
     */
    public static Decoded decodeTable(MemorySegment table) {
        List<HeapType> types = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long used = table.get(LE_LONG, TT_USED_BYTES);
        long capacity = table.byteSize() - TYPE_TABLE_HEADER_BYTES;
        if (used < 0 || used > capacity || used % TYPE_ENTRY_ALIGN != 0) {
            problems.add("type table: published size " + used + " is outside [0, " + capacity + "] or misaligned");
            return new Decoded(types, problems);
        }
        long at = TYPE_TABLE_HEADER_BYTES;
        long end = TYPE_TABLE_HEADER_BYTES + used;
        while (at < end) {
            long length = Integer.toUnsignedLong(table.get(LE_INT, at + TE_ENTRY_BYTES));
            if (length < TE_FIXED_BYTES || length % TYPE_ENTRY_ALIGN != 0 || at + length > end) {
                problems.add("type table: entry at " + at + " has bad length " + length);
                break;
            }
            byte[] entry = table.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
            int expectedId = types.size() + 1;
            try {
                types.add(decodeEntry(entry, expectedId));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                // a checksum-valid entry whose lengths point past its end is as corrupt as a bad checksum
                problems.add("type table: entry " + expectedId + " at " + at + ": " + e.getMessage());
                break;
            }
            at += length;
        }
        return new Decoded(List.copyOf(types), problems);
    }

    private static HeapType decodeEntry(byte[] entry, int expectedId) {
        MemorySegment s = MemorySegment.ofArray(entry);
        int stored = s.get(LE_INT_UNALIGNED, TE_CHECKSUM);
        s.set(LE_INT_UNALIGNED, TE_CHECKSUM, 0);
        int computed = Checksums.crc32c(entry);
        if (stored != computed) {
            throw new IllegalArgumentException(String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed));
        }
        int id = s.get(LE_INT_UNALIGNED, TE_TYPE_ID);
        if (id != expectedId) {
            throw new IllegalArgumentException("type id " + id + ", expected " + expectedId);
        }
        long fingerprint = s.get(LE_LONG_UNALIGNED, TE_FINGERPRINT);
        int instanceBytes = s.get(LE_INT_UNALIGNED, TE_INSTANCE_BYTES);
        int shape = s.get(ValueLayout.JAVA_BYTE, TE_SHAPE);
        int elementCode = s.get(ValueLayout.JAVA_BYTE, TE_ELEMENT_KIND);
        int nameBytes = Short.toUnsignedInt(s.get(LE_SHORT_UNALIGNED, TE_NAME_BYTES));
        int fieldCount = Short.toUnsignedInt(s.get(LE_SHORT_UNALIGNED, TE_FIELD_COUNT));
        int at = TE_FIXED_BYTES;
        String name = new String(entry, at, nameBytes, StandardCharsets.UTF_8);
        at += nameBytes;
        List<FieldLayout> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            int fieldNameBytes = Short.toUnsignedInt(s.get(LE_SHORT_UNALIGNED, at));
            at += 2;
            String fieldName = new String(entry, at, fieldNameBytes, StandardCharsets.UTF_8);
            at += fieldNameBytes;
            FieldKind kind = FieldKind.ofCode(entry[at++]);
            int offset = s.get(LE_INT_UNALIGNED, at);
            at += 4;
            fields.add(new FieldLayout(fieldName, kind, offset));
        }
        TypeLayout layout = switch (shape) {
            case 0 -> new TypeLayout(name, TypeLayout.Shape.RECORD, null, instanceBytes, fields);
            case 1 -> new TypeLayout(name, TypeLayout.Shape.ARRAY, FieldKind.ofCode(elementCode), instanceBytes, fields);
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
        if (layout.fingerprint() != fingerprint) {
            throw new IllegalArgumentException("fingerprint does not match the recorded layout of " + name);
        }
        return new HeapType(id, layout, fingerprint);
    }

    private static final ValueLayout.OfLong LE_LONG_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
}

package io.jpmem.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.HeapLayout;
import io.jpmem.heap.internal.format.HeapFormat;
import io.jpmem.heap.internal.format.HeapHeader;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeapLayoutTest {

    @ParameterizedTest
    @ValueSource(longs = {256L << 10, 1L << 20, 3_000_001L, 64L << 20, 1L << 30, 8L << 30, 1L << 40})
    void computedLayoutsAreSoundAndFitTheMaximum(long max) {
        HeapLayout layout = HeapOptions.defaults().withMaxByteSize(max).layout();
        assertEquals(List.of(), layout.problems());
        assertTrue(layout.objectAreaEnd() <= max);
        assertTrue(layout.chunkCount() >= 1);
        assertEquals(0, layout.objectAreaOffset() % HeapFormat.PAGE_BYTES);
        assertTrue(max - layout.objectAreaEnd() < layout.chunkByteSize() + HeapFormat.PAGE_BYTES,
                "at most one chunk's worth is left unused");
    }

    @Test
    void tooSmallHeapsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HeapOptions.defaults().withMaxByteSize(128L << 10).layout());
        assertThrows(IllegalArgumentException.class, () -> HeapOptions.defaults().withMaxByteSize(1L << 20)
                .withLogSlots(64, 1 << 20).layout());
    }

    @Test
    void headerRoundTripsAndEveryCheckFires() {
        HeapLayout layout = HeapOptions.defaults().layout();
        HeapHeader header = new HeapHeader(7, UUID.randomUUID(), 123, layout, HeapFormat.FLAG_CLEAN_SHUTDOWN, 3, 4, 5);
        byte[] bytes = header.encode();
        assertEquals(new HeapHeader.Valid(header), HeapHeader.decode(bytes));

        byte[] flipped = bytes.clone();
        flipped[HeapFormat.H_SEQUENCE] ^= 1;
        assertEquals(HeapHeader.InvalidKind.BAD_CHECKSUM, ((HeapHeader.Invalid) HeapHeader.decode(flipped)).kind());

        byte[] noMagic = bytes.clone();
        noMagic[0] = 'X';
        assertEquals(HeapHeader.InvalidKind.NO_MAGIC, ((HeapHeader.Invalid) HeapHeader.decode(noMagic)).kind());

        byte[] newer = bytes.clone();
        newer[HeapFormat.H_VERSION] = 2;
        assertEquals(HeapHeader.InvalidKind.NEWER_VERSION, ((HeapHeader.Invalid) HeapHeader.decode(newer)).kind(),
                "version is checked before the checksum");

        HeapLayout overlapping = new HeapLayout(layout.maxByteSize(), layout.chunkByteSize(), layout.typeTableOffset(),
                layout.typeTableByteSize(), layout.typeTableOffset(), layout.rootSlotCount(), layout.logAreaOffset(),
                layout.logSlotCount(), layout.logSlotByteSize(), layout.chunkTableOffset(), layout.chunkCount(),
                layout.objectAreaOffset());
        byte[] badLayout = new HeapHeader(1, UUID.randomUUID(), 0, overlapping, 0, 0, 0, 0).encode();
        HeapHeader.Invalid invalid = (HeapHeader.Invalid) HeapHeader.decode(badLayout);
        assertEquals(HeapHeader.InvalidKind.BAD_LAYOUT, invalid.kind());
        assertTrue(invalid.detail().contains("root table"), invalid.detail());
    }

    @Test
    void magicSpellsJpmemHep() {
        byte[] bytes = new HeapHeader(1, UUID.randomUUID(), 0, HeapOptions.defaults().layout(), 0, 0, 0, 0).encode();
        assertEquals("JPMEMHEP", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
    }
}

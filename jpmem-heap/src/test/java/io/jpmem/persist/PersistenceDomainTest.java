package io.jpmem.persist;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PersistenceDomainTest {

    @TempDir
    Path dir;

    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment map(Arena arena, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve("m.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void storesAreLittleEndianVisibleAndPersistable(Durability durability) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            PersistenceDomain domain = PersistenceDomain.of(durability, map(arena, 1 << 16), false);
            assertEquals(durability, domain.durability());
            domain.putLong(64, 0x0102030405060708L);
            domain.putInt(72, 0x0A0B0C0D);
            domain.putShort(76, (short) 0x1122);
            domain.putByte(78, (byte) 0x33);
            domain.putBytes(80, new byte[] {9, 8, 7}, 0, 3);
            domain.fill(96, 32, (byte) 0x44);
            domain.persist(64, 64);
            MemorySegment view = domain.view();
            assertTrue(view.isReadOnly());
            assertEquals(0x08, view.get(ValueLayout.JAVA_BYTE, 64), "little-endian on every platform");
            assertEquals(0x0102030405060708L, view.get(LE_LONG, 64));
            assertEquals(0x33, view.get(ValueLayout.JAVA_BYTE, 78));
            assertEquals(0x4444444444444444L, view.get(LE_LONG, 120));
            assertThrows(IllegalArgumentException.class, () -> domain.putLong(4, 1), "misaligned");
            assertThrows(IndexOutOfBoundsException.class, () -> domain.putLong(1 << 16, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> domain.flush((1 << 16) - 8, 16));
        }
    }

    @Test
    void powerOnAnOrdinaryFileUsesMsyncUnlessLibpmemIsForced() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            PersistenceDomain domain = PersistenceDomain.of(Durability.POWER, map(arena, 1 << 16), false);
            // Surefire runs without PMEM_IS_PMEM_FORCE, and /tmp is not DAX: pmem_is_pmem says no.
            assertEquals(FlushMechanism.MSYNC, domain.mechanism());
        }
    }

    @Test
    void readOnlyMappingsOnlyGetAProcessDomain() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment readOnly = map(arena, 4096).asReadOnly();
            assertThrows(IllegalArgumentException.class, () -> PersistenceDomain.of(Durability.POWER, readOnly, false));
            assertEquals(FlushMechanism.PAGE_CACHE, PersistenceDomain.of(Durability.PROCESS, readOnly, false).mechanism());
        }
    }

    @Test
    void simulatedDomainKeepsOnlyFlushedLinesDurable() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            SimulatedDomain domain = (SimulatedDomain) PersistenceDomain.of(Durability.SIMULATED, map(arena, 4096), false);
            List<SimulatedDomain.Event> events = new ArrayList<>();
            domain.onEvent(events::add);
            domain.putLong(0, 11);
            domain.putLong(128, 22);
            domain.putInt(132, 5); // same word as 128
            assertArrayEquals(new long[] {0, 128}, domain.unflushedWordOffsets());
            assertEquals(0, MemorySegment.ofArray(domain.durableImage()).get(LE_LONG.withByteAlignment(1), 0),
                    "nothing flushed yet");
            domain.flush(0, 8);
            assertEquals(0, MemorySegment.ofArray(domain.durableImage()).get(LE_LONG.withByteAlignment(1), 0),
                    "flushed but not fenced: not durable yet");
            assertEquals(9, domain.unflushedWordOffsets().length, "the flushed line's 8 words may or may not be on the media");
            assertEquals(11, MemorySegment.ofArray(domain.crashImage(offset -> offset == 0))
                    .get(LE_LONG.withByteAlignment(1), 0), "a flushed word may reach the media before the fence");
            domain.drain();
            assertArrayEquals(new long[] {128}, domain.unflushedWordOffsets());
            MemorySegment durable = MemorySegment.ofArray(domain.durableImage());
            assertEquals(11, durable.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
            assertEquals(0, durable.get(ValueLayout.JAVA_LONG_UNALIGNED, 128));
            MemorySegment evicted = MemorySegment.ofArray(domain.crashImage(offset -> offset == 128));
            assertEquals(0x0000000500000016L, evicted.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 128),
                    "an evicted word carries its latest value");
            MemorySegment kept = MemorySegment.ofArray(domain.crashImage(offset -> false));
            assertEquals(0, kept.get(ValueLayout.JAVA_LONG_UNALIGNED, 128));
            assertEquals(List.of(new SimulatedDomain.Store(0, 8), new SimulatedDomain.Store(128, 8),
                    new SimulatedDomain.Store(132, 4), new SimulatedDomain.Flush(0, 8), new SimulatedDomain.Fence()), events);
            assertEquals(3, domain.storeCount());
            assertEquals(1, domain.flushCount());
            assertEquals(1, domain.fenceCount());
        }
    }

    @Test
    void simulatedDomainRefusesHugeMappings() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment big = map(arena, SimulatedDomain.MAX_BYTE_SIZE + 4096);
            assertThrows(IllegalArgumentException.class, () -> PersistenceDomain.of(Durability.SIMULATED, big, false));
        }
    }
}

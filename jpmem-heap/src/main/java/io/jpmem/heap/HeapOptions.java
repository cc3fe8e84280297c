package io.jpmem.heap;

import io.jpmem.heap.HeapLayout;
import io.jpmem.persist.Durability;
import java.util.Objects;

/**
 * Options for creating and opening a heap. Immutable; the {@code with*} methods return copies.
 * Sizes of 0 mean "chosen from the maximum size" (see {@link #layout()}).
 *
 * @param durability the durability mode; {@link Durability#POWER} by default
 * @param maxByteSize the heap's maximum size, fixed at create; 64 MiB by default. The file is
 *     sparse: disk space is used only as the heap fills
 * @param chunkByteSize the allocator's chunk size, a power of two
 * @param typeTableByteSize the type table's size
 * @param rootSlotCount how many named roots the heap can hold
 * @param logSlotCount how many per-thread transaction log slots
 * @param logSlotByteSize the initial size of each log slot
 * @param recoveryGc whether opening a heap that was not closed cleanly runs the recovery GC
 *     (default true); it only reclaims leaks of the application, so crash consistency never
 *     depends on it
 * @param logSync on ordinary storage, where a {@link Durability#POWER} heap keeps a write-ahead log,
 *     when a commit is made durable: {@link LogSync#ALWAYS} (the default) before it returns,
 *     {@link LogSync#EVERYSEC} within about a second, {@link LogSync#NO} at the next checkpoint.
 *     Ignored on persistent memory, where every commit is durable when it returns
 */
public record HeapOptions(Durability durability, long maxByteSize, int chunkByteSize, int typeTableByteSize,
                          int rootSlotCount, int logSlotCount, int logSlotByteSize, boolean recoveryGc,
                          LogSync logSync) {

    /** The default maximum size: 64 MiB. */
    public static final long DEFAULT_MAX_BYTE_SIZE = 64L << 20;

    /** Options with the log sync level {@link LogSync#ALWAYS}. */
    public HeapOptions(Durability durability, long maxByteSize, int chunkByteSize, int typeTableByteSize,
                       int rootSlotCount, int logSlotCount, int logSlotByteSize, boolean recoveryGc) {
        this(durability, maxByteSize, chunkByteSize, typeTableByteSize, rootSlotCount, logSlotCount, logSlotByteSize,
                recoveryGc, LogSync.ALWAYS);
    }

    public HeapOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(logSync, "logSync");
        if (chunkByteSize < 0 || typeTableByteSize < 0 || rootSlotCount < 0 || logSlotCount < 0 || logSlotByteSize < 0) {
            throw new IllegalArgumentException("sizes and counts must not be negative");
        }
    }

    /** {@return POWER durability, 64 MiB maximum, every other size chosen from it} */
    public static HeapOptions defaults() {
        return new HeapOptions(Durability.POWER, DEFAULT_MAX_BYTE_SIZE, 0, 0, 0, 0, 0, true, LogSync.ALWAYS);
    }

    /** {@return a copy with this durability} */
    public HeapOptions withDurability(Durability value) {
        return new HeapOptions(value, maxByteSize, chunkByteSize, typeTableByteSize, rootSlotCount, logSlotCount, logSlotByteSize, recoveryGc, logSync);
    }

    /** {@return a copy with this maximum size} */
    public HeapOptions withMaxByteSize(long value) {
        return new HeapOptions(durability, value, chunkByteSize, typeTableByteSize, rootSlotCount, logSlotCount, logSlotByteSize, recoveryGc, logSync);
    }

    /** {@return a copy with this chunk size} */
    public HeapOptions withChunkByteSize(int value) {
        return new HeapOptions(durability, maxByteSize, value, typeTableByteSize, rootSlotCount, logSlotCount, logSlotByteSize, recoveryGc, logSync);
    }

    /** {@return a copy with this type table size} */
    public HeapOptions withTypeTableByteSize(int value) {
        return new HeapOptions(durability, maxByteSize, chunkByteSize, value, rootSlotCount, logSlotCount, logSlotByteSize, recoveryGc, logSync);
    }

    /** {@return a copy with this many root slots} */
    public HeapOptions withRootSlotCount(int value) {
        return new HeapOptions(durability, maxByteSize, chunkByteSize, typeTableByteSize, value, logSlotCount, logSlotByteSize, recoveryGc, logSync);
    }

    /** {@return a copy with this many log slots of this size} */
    public HeapOptions withLogSlots(int count, int byteSize) {
        return new HeapOptions(durability, maxByteSize, chunkByteSize, typeTableByteSize, rootSlotCount, count, byteSize, recoveryGc, logSync);
    }

    /** {@return a copy with the recovery GC on or off} */
    public HeapOptions withRecoveryGc(boolean value) {
        return new HeapOptions(durability, maxByteSize, chunkByteSize, typeTableByteSize, rootSlotCount, logSlotCount,
                logSlotByteSize, value, logSync);
    }

    /** {@return a copy with this log sync level} */
    public HeapOptions withLogSync(LogSync value) {
        return new HeapOptions(durability, maxByteSize, chunkByteSize, typeTableByteSize, rootSlotCount, logSlotCount,
                logSlotByteSize, recoveryGc, value);
    }

    /**
     * {@return the layout a heap created with these options gets} Heaps of 64 MiB and more get
     * 256 KiB chunks, a 64 KiB type table, 256 roots and 64 log slots of 64 KiB; smaller heaps get
     * 64 KiB chunks, a 16 KiB type table, 64 roots and 8 log slots of 8 KiB.
     *
     * @throws IllegalArgumentException if the sizes do not fit together
     */
    public HeapLayout layout() {
        boolean large = maxByteSize >= 64L << 20;
        return HeapLayout.compute(maxByteSize,
                orDefault(chunkByteSize, large ? 256 << 10 : 64 << 10),
                orDefault(typeTableByteSize, large ? 64 << 10 : 16 << 10),
                orDefault(rootSlotCount, large ? 256 : 64),
                orDefault(logSlotCount, large ? 64 : 8),
                orDefault(logSlotByteSize, large ? 64 << 10 : 8 << 10));
    }

    private static int orDefault(int value, int fallback) {
        return value == 0 ? fallback : value;
    }

    /**
     * Parses a byte size such as {@code 1048576}, {@code 512k}, {@code 64m} or {@code 8g} (binary
     * units, an optional trailing {@code b}, any case).
     *
     * @return empty if {@code text} is not a positive size that fits in a long
     */
    public static java.util.OptionalLong parseByteSize(String text) {
        String v = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        try {
            long number = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1));
            return number <= 0 || number > (Long.MAX_VALUE >> shift) ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(number << shift);
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }
}

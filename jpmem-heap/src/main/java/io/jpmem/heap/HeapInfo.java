package io.jpmem.heap;

import io.jpmem.heap.HeapLayout;
import io.jpmem.persist.Durability;
import io.jpmem.persist.FlushMechanism;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What {@code jpmem info} shows: a snapshot of a heap's header, sizes, mode, roots and types.
 *
 * @param path the heap file
 * @param heapId the heap's identity
 * @param formatVersion the file format version
 * @param accessMode how it is open
 * @param durability the durability mode in effect
 * @param mechanism how flushes are done
 * @param layout where the regions lie; {@code layout.maxByteSize()} is the maximum size
 * @param bytesOnDisk the file's allocated disk space (it is sparse), if the OS reports it
 * @param createdAt creation time
 * @param openCount read-write opens so far, this one included
 * @param lastCloseAt time of the last clean close, if any
 * @param closedCleanly whether the heap was closed cleanly before this open
 * @param headerSequence the current header's sequence number
 * @param headerCopy which header copy is current, "A" or "B"
 * @param roots root names and references
 * @param types the type table
 * @param notes observations that are not problems (e.g. a header copy torn by a crash)
 * @param allocation capacity and fragmentation of the object area
 */
public record HeapInfo(Path path, UUID heapId, int formatVersion, AccessMode accessMode, Durability durability,
                       FlushMechanism mechanism, HeapLayout layout, OptionalLong bytesOnDisk, Instant createdAt,
                       long openCount, Instant lastCloseAt, boolean closedCleanly, long headerSequence,
                       String headerCopy, Map<String, Long> roots, List<HeapType> types, List<String> notes,
                       AllocationStats allocation) {}

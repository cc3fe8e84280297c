package io.jpmem.heap.internal.format;

import static io.jpmem.heap.internal.format.HeapFormat.*;

import io.jpmem.heap.HeapOpenException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads both header copies of a file and picks the current one, LMDB-style: the valid copy with
 * the higher sequence. A copy that fails its checksum while the other is valid is the trace of an
 * update torn by a crash, not corruption; it is reported as a note and rewritten by the next update.
 * Reads with positional channel reads only; never writes.
 */
public final class HeaderSelection {

    private HeaderSelection() {}

    /** The outcome of reading a file's headers. */
    public sealed interface Result permits Selected, Refused {}

    /**
     * A usable header.
     *
     * @param header the current header
     * @param copyIndex which copy holds it (0 = A, 1 = B); the next update goes to the other
     * @param notes observations about the other copy, for tools
     */
    public record Selected(HeapHeader header, int copyIndex, List<String> notes) implements Result {}

    /** The file must be refused. */
    public record Refused(Reason reason, String detail) implements Result {}

    /** Reads and selects. */
    public static Result select(FileChannel channel) throws IOException {
        long size = channel.size();
        HeapHeader.Decoded[] copies = new HeapHeader.Decoded[2];
        for (int i = 0; i < 2; i++) {
            long at = HEADER_COPY_OFFSETS[i];
            int available = (int) Math.max(0, Math.min(HEADER_RECORD_BYTES, size - at));
            ByteBuffer buffer = ByteBuffer.allocate(available);
            while (buffer.hasRemaining() && channel.read(buffer, at + buffer.position()) >= 0) {
                // positional reads until full
            }
            copies[i] = HeapHeader.decode(buffer.array());
        }
        boolean anyMagic = false;
        List<String> invalid = new ArrayList<>();
        HeapHeader best = null;
        int bestIndex = -1;
        for (int i = 0; i < 2; i++) {
            switch (copies[i]) {
                case HeapHeader.Valid v -> {
                    anyMagic = true;
                    if (best == null || Long.compareUnsigned(v.header().sequence(), best.sequence()) > 0) {
                        best = v.header();
                        bestIndex = i;
                    }
                }
                case HeapHeader.Invalid inv -> {
                    if (inv.kind() != HeapHeader.InvalidKind.NO_MAGIC) {
                        anyMagic = true;
                    }
                    if (inv.kind() == HeapHeader.InvalidKind.NEWER_VERSION) {
                        return new Refused(Reason.NEWER_VERSION, inv.detail());
                    }
                    invalid.add("header copy " + copyName(i) + ": " + inv.detail());
                }
            }
        }
        if (!anyMagic) {
            return new Refused(Reason.NOT_A_HEAP, size < HEADER_RECORD_BYTES
                    ? "file has only " + size + " bytes" : "no jpmem magic at offset 0 or " + PAGE_BYTES);
        }
        if (best == null) {
            boolean layout = copies[0] instanceof HeapHeader.Invalid a && a.kind() == HeapHeader.InvalidKind.BAD_LAYOUT
                    || copies[1] instanceof HeapHeader.Invalid b && b.kind() == HeapHeader.InvalidKind.BAD_LAYOUT;
            if (size < 2L * PAGE_BYTES && !layout) {
                return new Refused(Reason.TRUNCATED, "file has only " + size + " bytes, less than its two header pages");
            }
            return new Refused(layout ? Reason.CORRUPT : Reason.CHECKSUM_MISMATCH, String.join("; ", invalid));
        }
        if (size < best.layout().maxByteSize()) {
            return new Refused(Reason.TRUNCATED, "file has " + size + " bytes, its header says "
                    + best.layout().maxByteSize());
        }
        List<String> notes = new ArrayList<>(invalid);
        HeapHeader other = copies[1 - bestIndex] instanceof HeapHeader.Valid v ? v.header() : null;
        if (other != null && !other.heapId().equals(best.heapId())) {
            notes.add("header copy " + copyName(1 - bestIndex) + " belongs to another heap (" + other.heapId() + ")");
        }
        return new Selected(best, bestIndex, List.copyOf(notes));
    }

    /** {@return "A" or "B"} */
    public static String copyName(int index) {
        return index == 0 ? "A" : "B";
    }
}

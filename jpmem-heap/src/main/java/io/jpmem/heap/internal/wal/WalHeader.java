package io.jpmem.heap.internal.wal;

import static io.jpmem.heap.internal.wal.WalFormat.*;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * One log file's header: which heap it belongs to, its generation, and whether the heap file holds
 * everything before its records.
 *
 * <ul>
 *   <li>{@code CHECKPOINTED}: the heap file holds every record up to {@code checkpointSeq}, durably;
 *       this file's records start at {@code checkpointSeq + 1}. The other file is stale.</li>
 *   <li>{@code ARMED}: this file receives (or will receive) the records after a checkpoint that has
 *       not completed; the records before them are in the other file, which must be
 *       {@code CHECKPOINTED} with generation {@code generation - 1}.</li>
 * </ul>
 *
 * @param heapId        the heap's id (from its header): a log of another heap is refused
 * @param generation    +1 per checkpoint; the file with the higher generation is the newer
 * @param armed         true for {@code ARMED}, false for {@code CHECKPOINTED}
 * @param checkpointSeq for {@code CHECKPOINTED}, the last sequence the heap file holds; 0 when armed
 * @param salt          random per generation: seeds every CRC of this generation's frames, so frames
 *                      of an earlier generation left in a recycled file never validate
 * @param counter       +1 per rewrite of this file's header; picks the newer of its two slots
 */
public record WalHeader(UUID heapId, long generation, boolean armed, long checkpointSeq, long salt, long counter) {

    /** {@return the header of this file's next rewrite, as {@code CHECKPOINTED} at {@code seq}} */
    public WalHeader checkpointed(long seq) {
        return new WalHeader(heapId, generation, false, seq, salt, counter + 1);
    }

    /** {@return the 80 encoded bytes} */
    public ByteBuffer encode() {
        ByteBuffer b = le(ByteBuffer.allocate(HEADER_BYTES));
        b.putLong(H_MAGIC, MAGIC).putInt(H_VERSION, VERSION).putInt(H_BYTES, HEADER_BYTES)
                .putLong(H_COUNTER, counter)
                .putLong(H_HEAP_ID_MSB, heapId.getMostSignificantBits())
                .putLong(H_HEAP_ID_LSB, heapId.getLeastSignificantBits())
                .putLong(H_GENERATION, generation).putInt(H_STATE, armed ? STATE_ARMED : STATE_CHECKPOINTED)
                .putLong(H_CHECKPOINT_SEQ, checkpointSeq).putLong(H_SALT, salt);
        b.putInt(H_CRC, crc(b));
        return b;
    }

    /** What one header slot holds. */
    public sealed interface Slot {
        /** A valid header. */
        record Valid(WalHeader header) implements Slot {}
        /** Not a jpmem log (magic). */
        record Foreign() implements Slot {}
        /** A jpmem log of a newer format. */
        record Newer(int version) implements Slot {}
        /** The magic is right but the slot fails its checksum or its fields are impossible (torn). */
        record Damaged(String why) implements Slot {}
    }

    /** Decodes one slot of {@link WalFormat#HEADER_BYTES} bytes; version is checked before checksum. */
    public static Slot decode(ByteBuffer bytes) {
        ByteBuffer b = le(bytes.duplicate());
        if (b.getLong(H_MAGIC) != MAGIC) {
            return new Slot.Foreign();
        }
        int version = b.getInt(H_VERSION);
        if (version > VERSION) {
            return new Slot.Newer(version);
        }
        if (b.getInt(H_CRC) != crc(b)) {
            return new Slot.Damaged("header checksum mismatch");
        }
        int state = b.getInt(H_STATE);
        if (version != VERSION || b.getInt(H_BYTES) != HEADER_BYTES
                || (state != STATE_ARMED && state != STATE_CHECKPOINTED)) {
            return new Slot.Damaged("impossible header fields (version " + version + ", state " + state + ")");
        }
        return new Slot.Valid(new WalHeader(new UUID(b.getLong(H_HEAP_ID_MSB), b.getLong(H_HEAP_ID_LSB)),
                b.getLong(H_GENERATION), state == STATE_ARMED, b.getLong(H_CHECKPOINT_SEQ), b.getLong(H_SALT),
                b.getLong(H_COUNTER)));
    }

    private static int crc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, H_CRC));
        return (int) crc.getValue();
    }
}

package io.jpmem.redis.replication;

import io.jpmem.redis.command.ExecutedWrite;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns committed writes into the bytes of the replication stream: each as a RESP array of bulk
 * strings, preceded by a SELECT whenever its database is not the one the stream last selected
 * (the first write after the stream's start, or after a full resync, always selects).
 */
public final class StreamEncoder {

    private int selected = -1;

    /** {@return the database the stream selected last (-1: none yet)} */
    public int selected() {
        return selected;
    }

    /** Forgets the selected database: the next write selects again. */
    public void reset() {
        selected = -1;
    }

    /** Goes back to having selected {@code db} (a prepared feed was discarded). */
    void restore(int db) {
        selected = db;
    }

    /** {@return the stream bytes of {@code writes}} */
    public byte[] encode(List<ExecutedWrite> writes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ExecutedWrite w : writes) {
            if (w.db() != selected) {
                command(out, List.of(bytes("SELECT"), bytes(Integer.toString(w.db()))));
                selected = w.db();
            }
            command(out, w.args());
        }
        return out.toByteArray();
    }

    /** {@return {@code args} as one RESP command} */
    public static byte[] command(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command(out, args);
        return out.toByteArray();
    }

    private static void command(ByteArrayOutputStream out, List<byte[]> args) {
        out.writeBytes(bytes("*" + args.size() + "\r\n"));
        for (byte[] a : args) {
            out.writeBytes(bytes("$" + a.length + "\r\n"));
            out.writeBytes(a);
            out.writeBytes(bytes("\r\n"));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

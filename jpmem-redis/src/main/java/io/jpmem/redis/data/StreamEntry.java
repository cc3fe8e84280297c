package io.jpmem.redis.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream entry: its id and its field/value pairs ({@code fieldsValues} is field, value, field,
 * value ...). {@link #encode} is the compact block a stream keeps per entry: the pair count, then each
 * string as its length and bytes.
 */
public record StreamEntry(StreamId id, List<byte[]> fieldsValues) {

    /** {@return the block form of {@code fieldsValues}} */
    static byte[] encode(List<byte[]> fieldsValues) {
        int size = 4;
        for (byte[] s : fieldsValues) {
            size += 4 + s.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(fieldsValues.size());
        for (byte[] s : fieldsValues) {
            b.putInt(s.length).put(s);
        }
        return b.array();
    }

    /** {@return the entry of id {@code id} whose block is {@code block}} */
    static StreamEntry decode(StreamId id, byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block);
        int n = b.getInt();
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] s = new byte[b.getInt()];
            b.get(s);
            out.add(s);
        }
        return new StreamEntry(id, out);
    }
}

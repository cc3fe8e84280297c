package io.jpmem.redis.rdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Redis's DUMP payload: one value in RDB form (type byte, value), then the RDB version as 2
 * little-endian bytes, then the CRC-64 of all of that as 8 little-endian bytes. RESTORE accepts a
 * payload whose version is at most {@link RdbFormat#VERSION} and whose checksum matches
 * ({@link #verify}), then reads the value ({@link #value}).
 */
public final class DumpPayload {

    private DumpPayload() {}

    /** Writes one value: what {@link #of} calls with a writer whose entries carry no key. */
    @FunctionalInterface
    public interface ValueBody {
        void write(RdbWriter writer) throws IOException;
    }

    /** {@return the payload of the value {@code body} writes (with a null key)} */
    public static byte[] of(ValueBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbWriter writer = new RdbWriter(bytes);
        try {
            body.write(writer);
            writer.finishPayload();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** {@return the payload of {@code value}} */
    public static byte[] of(RdbValue value) {
        return of(w -> w.entry(null, value, -1));
    }

    /** {@return whether the payload's version is one this server reads and its checksum matches} */
    public static boolean verify(byte[] payload) {
        if (payload.length < 10) {
            return false;
        }
        int footer = payload.length - 10;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RdbFormat.VERSION) {
            return false;
        }
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (long) (payload[footer + 2 + i] & 0xff) << (8 * i);
        }
        return Crc64.of(payload, 0, payload.length - 8) == stored;
    }

    /**
     * {@return the value of a payload that passed {@link #verify}}
     *
     * @throws RdbException if it does not parse, or does not end where its trailer starts
     */
    public static RdbValue value(byte[] payload) throws RdbException {
        RdbInput in = new RdbInput(new ByteArrayInputStream(payload, 0, payload.length - 10));
        try {
            RdbValue value = RdbReader.readPayloadValue(in);
            if (!in.atEnd()) {
                throw new RdbException("corrupt: bytes after the value");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

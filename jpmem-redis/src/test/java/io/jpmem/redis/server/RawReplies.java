package io.jpmem.redis.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads one whole RESP reply (nested aggregates included) from a stream, byte for byte, for the test clients. */
final class RawReplies {

    private RawReplies() {
    }

    /** Appends the next reply's bytes, exactly as received, to {@code raw}. */
    static void read(InputStream in, ByteArrayOutputStream raw) throws IOException {
        String line = line(in, raw);
        char type = line.charAt(0);
        switch (type) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    raw.write(in.readNBytes(length + 2));
                }
            }
            case '*', '%', '~' -> {
                int count = Integer.parseInt(line.substring(1)) * (type == '%' ? 2 : 1);
                for (int i = 0; i < count; i++) {
                    read(in, raw);
                }
            }
            default -> { }
        }
    }

    /** Reads a line up to its LF (each byte a char), appends it with its CR LF to {@code raw}; {@return it without CR LF} */
    private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed; got so far: " + raw + line);
            }
            line.append((char) b);
            raw.write(b);
        }
        raw.write('\n');
        return line.substring(0, line.length() - 1);
    }
}

package io.jpmem.redis.rdb;

import static io.jpmem.redis.rdb.RdbFormat.*;

import io.jpmem.redis.rdb.RdbValue.Field;
import io.jpmem.redis.rdb.RdbValue.Scored;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes an RDB file of version {@link RdbFormat#VERSION} that Redis 7.0 loads: header, aux fields,
 * per database {@code SELECTDB} and {@code RESIZEDB}, the keys (an {@code EXPIRETIME_MS} before each
 * key that has one), {@code EOF} and the CRC-64 of everything before it.
 *
 * <p><b>Encodings written.</b> Values go in the plain forms every Redis since 2.0 loads (and
 * {@code redis-check-rdb} accepts): a list as {@code LIST} (count, elements), a set as {@code SET},
 * a hash as {@code HASH}, a sorted set as {@code ZSET_2} (binary doubles: exact, no text round
 * trip). Redis, when it loads them, picks its own compact encodings by its size thresholds, exactly
 * as it does for a RESTOREd or loaded value; writing listpacks ourselves would mean building
 * Redis's in-memory layout for no gain in what is loaded. Strings are integer-encoded when they
 * are canonical 32-bit integers (as Redis writes them). <b>No LZF compression on write</b>: a save
 * runs on the server's own thread between client rounds, so every compressed byte is CPU taken from
 * clients; the files are larger when values are compressible (Redis reads both forms, and the
 * reader here decompresses LZF strings written by Redis).
 *
 * <p>Streaming: collections are written from iterables of the size given first, so a live value
 * is never copied whole to write it.
 */
public final class RdbWriter {

    private final RdbOutput out;

    public RdbWriter(OutputStream stream) {
        this.out = new RdbOutput(stream);
    }

    /** Writes {@code REDIS0010}. */
    public RdbWriter header() throws IOException {
        out.writeBytes(("REDIS00" + VERSION).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return this;
    }

    /** Writes an auxiliary field. */
    public RdbWriter aux(String key, String value) throws IOException {
        out.writeByte(OPCODE_AUX);
        out.writeString(key);
        out.writeString(value);
        return this;
    }

    /** Starts database {@code db}, with its size hints. */
    public RdbWriter selectDb(int db, long keys, long expires) throws IOException {
        out.writeByte(OPCODE_SELECTDB);
        out.writeLength(db);
        out.writeByte(OPCODE_RESIZEDB);
        out.writeLength(keys);
        out.writeLength(expires);
        return this;
    }

    /** Switches to database {@code db} again (after keys of another one). */
    public RdbWriter selectDb(int db) throws IOException {
        out.writeByte(OPCODE_SELECTDB);
        out.writeLength(db);
        return this;
    }

    /** Writes the expiry (Unix ms) of the key that comes next. */
    private void expiry(long expireAtMillis) throws IOException {
        if (expireAtMillis >= 0) {
            out.writeByte(OPCODE_EXPIRETIME_MS);
            out.writeLittleEndian(expireAtMillis, 8);
        }
    }

    /** Writes a key and its value, with its expiry (-1: none). */
    public void entry(byte[] key, RdbValue value, long expireAtMillis) throws IOException {
        expiry(expireAtMillis);
        switch (value) {
            case RdbValue.Str s -> string(key, s.value());
            case RdbValue.ListOf l -> list(key, l.elements().size(), l.elements());
            case RdbValue.SetOf s -> set(key, s.members().size(), s.members());
            case RdbValue.HashOf h -> hash(key, h.fields().size(), h.fields());
            case RdbValue.SortedSetOf z -> sortedSet(key, z.members().size(), z.members());
        }
    }

    /** Writes a string key (its expiry first, if it has one, by {@link #expireNext}). */
    public void string(byte[] key, byte[] value) throws IOException {
        head(TYPE_STRING, key);
        out.writeString(value);
    }

    /** Writes a list key of {@code size} elements, head first. */
    public void list(byte[] key, long size, Iterable<byte[]> elements) throws IOException {
        head(TYPE_LIST, key);
        strings(size, elements);
    }

    /** Writes a set key of {@code size} members. */
    public void set(byte[] key, long size, Iterable<byte[]> members) throws IOException {
        head(TYPE_SET, key);
        strings(size, members);
    }

    /** Writes a hash key of {@code size} fields. */
    public void hash(byte[] key, long size, Iterable<Field> fields) throws IOException {
        head(TYPE_HASH, key);
        out.writeLength(size);
        long n = 0;
        for (Field f : fields) {
            out.writeString(f.name());
            out.writeString(f.value());
            n++;
        }
        check(size, n);
    }

    /** Writes a hash key of {@code size} fields from a map. */
    public void hash(byte[] key, long size, Map<byte[], byte[]> fields) throws IOException {
        head(TYPE_HASH, key);
        out.writeLength(size);
        long n = 0;
        for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
            out.writeString(f.getKey());
            out.writeString(f.getValue());
            n++;
        }
        check(size, n);
    }

    /** Writes a sorted-set key of {@code size} members. */
    public void sortedSet(byte[] key, long size, Iterable<Scored> members) throws IOException {
        head(TYPE_ZSET_2, key);
        out.writeLength(size);
        long n = 0;
        for (Scored s : members) {
            out.writeString(s.member());
            out.writeBinaryDouble(s.score());
            n++;
        }
        check(size, n);
    }

    /** Announces that the key written next expires at {@code expireAtMillis} (Unix ms; -1: never). */
    public RdbWriter expireNext(long expireAtMillis) throws IOException {
        expiry(expireAtMillis);
        return this;
    }

    private void head(int type, byte[] key) throws IOException {
        out.writeByte(type);
        if (key != null) {
            out.writeString(key);
        }
    }

    private void strings(long size, Iterable<byte[]> elements) throws IOException {
        out.writeLength(size);
        long n = 0;
        for (byte[] e : elements) {
            out.writeString(e);
            n++;
        }
        check(size, n);
    }

    private static void check(long announced, long written) {
        if (announced != written) {
            throw new IllegalStateException("a collection announced " + announced + " elements and had " + written);
        }
    }

    /** {@return the bytes written so far} */
    public long written() {
        return out.written();
    }

    /** Passes the buffered bytes on to the stream. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Writes {@code EOF} and the checksum, and flushes. */
    public void finish() throws IOException {
        out.writeByte(OPCODE_EOF);
        out.flush();
        out.writeLittleEndian(out.crc(), 8);
        out.flush();
    }

    /** Writes the trailer of a DUMP payload (RDB version, CRC-64 of the payload so far) and flushes. */
    void finishPayload() throws IOException {
        out.writeLittleEndian(VERSION, 2);
        out.flush();
        out.writeLittleEndian(out.crc(), 8);
        out.flush();
    }
}

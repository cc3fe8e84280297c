package io.jpmem.redis.rdb;

import static io.jpmem.redis.rdb.RdbFormat.*;

import io.jpmem.redis.rdb.RdbValue.Field;
import io.jpmem.redis.rdb.RdbValue.Scored;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RDB file (versions 1 to {@link RdbFormat#VERSION}) and hands each key to a
 * {@link Visitor}, streaming: one value is in memory at a time.
 *
 * <p>The file: {@code REDIS} and four version digits; then opcodes until {@code EOF}: {@code AUX}
 * (two strings), {@code SELECTDB} (a length), {@code RESIZEDB} (two lengths, hints only),
 * {@code EXPIRETIME_MS} (8 bytes, little-endian Unix ms) or {@code EXPIRETIME} (4 bytes, seconds)
 * before a key, {@code IDLE} (a length) and {@code FREQ} (a byte) before a key, skipped since no LRU
 * or LFU clock is kept; otherwise the byte is a value type followed by the key and the value. After
 * {@code EOF} (version 5 on) comes the CRC-64 of everything before it, little-endian; 0 means the
 * writer did not compute it (Redis's {@code rdbchecksum no}).
 *
 * <p>Refused, with the reason: a file that does not start with {@code REDIS}, a newer version, a
 * truncated file, a checksum that does not match, any structure that does not parse, and values of
 * kinds this server does not have: module values and module aux data (no modules), streams and
 * function libraries (not implemented yet). Nothing is half-read silently: a visitor gets each
 * entry whole, and an exception ends the read.
 */
public final class RdbReader {

    private RdbReader() {}

    /** What the reader finds, in file order. */
    public interface Visitor {

        /** An auxiliary field ({@code redis-ver}, {@code ctime}, ...). */
        default void aux(byte[] key, byte[] value) throws RdbException {}

        /** A RESIZEDB hint for the database being read. */
        default void resizeDb(int db, long keys, long expires) throws RdbException {}

        /**
         * A key of database {@code db} with its value and expiry ({@code -1}: none). A collection may be
         * empty (Redis skips such keys when it loads a file, and refuses them in a DUMP payload).
         */
        void entry(int db, byte[] key, RdbValue value, long expireAtMillis) throws RdbException;
    }

    /** What a read found. @param checksumVerified false when the file says it carries no checksum */
    public record Summary(int version, long keys, boolean checksumVerified) {}

    /** Reads a whole file from {@code in}. @throws RdbException if it is not a readable RDB file (the message says why) */
    public static Summary read(InputStream in, Visitor visitor) throws IOException, RdbException {
        RdbInput r = new RdbInput(in);
        int version = header(r);
        int db = 0;
        long keys = 0;
        long expireAt = -1;
        while (true) {
            long at = r.offset();
            int op = r.readUnsignedByte();
            switch (op) {
                case OPCODE_EOF -> {
                    return new Summary(version, keys, version >= 5 && checksum(r));
                }
                case OPCODE_SELECTDB -> {
                    long n = r.readLength();
                    if (n > Integer.MAX_VALUE) {
                        throw new RdbException("corrupt: SELECTDB " + n + " at byte " + at);
                    }
                    db = (int) n;
                }
                case OPCODE_RESIZEDB -> visitor.resizeDb(db, r.readLength(), r.readLength());
                case OPCODE_AUX -> visitor.aux(r.readString(), r.readString());
                case OPCODE_EXPIRETIME_MS -> expireAt = r.readLittleEndian(8);
                case OPCODE_EXPIRETIME -> expireAt = r.readLittleEndian(4) * 1000;
                case OPCODE_IDLE -> r.readLength();
                case OPCODE_FREQ -> r.readUnsignedByte();
                case OPCODE_MODULE_AUX -> throw new RdbException("the file holds module data (module "
                        + moduleName(r.readLength()) + ", at byte " + at + "): jpmem-redis has no modules");
                case OPCODE_FUNCTION2, OPCODE_FUNCTION_PRE_GA -> throw new RdbException("the file holds a function library"
                        + " (at byte " + at + "): jpmem-redis has no functions (FUNCTION LOAD) yet; remove it with"
                        + " FUNCTION FLUSH on the server that wrote the file");
                default -> {
                    byte[] key = r.readString();
                    RdbValue value = readValue(op, r, key, at);
                    visitor.entry(db, key, value, expireAt);
                    keys++;
                    expireAt = -1;
                }
            }
        }
    }

    private static int header(RdbInput r) throws IOException, RdbException {
        byte[] magic = new byte[9];
        for (int i = 0; i < 9; i++) {
            if (r.atEnd()) {
                throw new RdbException(i == 0 ? "not an RDB file: it is empty" : "truncated: the file ends inside its header");
            }
            magic[i] = (byte) r.readUnsignedByte();
        }
        String text = new String(magic, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("REDIS")) {
            throw new RdbException("not an RDB file: it does not start with 'REDIS'");
        }
        int version;
        try {
            version = Integer.parseInt(text.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbException("not an RDB file: '" + text + "' has no version number");
        }
        if (version < 1) {
            throw new RdbException("not an RDB file: version " + version);
        }
        if (version > VERSION) {
            throw new RdbException("RDB version " + version + " is newer than this server reads (" + VERSION
                    + ", Redis 7.0's): the file was written by a later Redis");
        }
        return version;
    }

    /** @return whether a checksum was there to verify */
    private static boolean checksum(RdbInput r) throws IOException, RdbException {
        long computed = r.crc();
        long stored;
        try {
            stored = r.readLittleEndian(8);
        } catch (RdbException e) {
            throw new RdbException("truncated: the file ends before its checksum");
        }
        if (stored == 0) {
            return false;
        }
        if (stored != computed) {
            throw new RdbException("corrupt: checksum mismatch (the file says " + Long.toHexString(stored)
                    + ", its data gives " + Long.toHexString(computed) + ")");
        }
        return true;
    }

    /**
     * Reads a DUMP payload's value: the type byte, the value, and the 10 bytes after it (RDB version,
     * CRC-64) which the caller has checked ({@link DumpPayload}).
     */
    static RdbValue readPayloadValue(RdbInput r) throws IOException, RdbException {
        int type = r.readUnsignedByte();
        return readValue(type, r, null, 0);
    }

    private static RdbValue readValue(int type, RdbInput r, byte[] key, long at) throws IOException, RdbException {
        return switch (type) {
            case TYPE_STRING -> new RdbValue.Str(r.readString());
            case TYPE_LIST -> new RdbValue.ListOf(strings(r));
            case TYPE_SET -> new RdbValue.SetOf(strings(r));
            case TYPE_ZSET, TYPE_ZSET_2 -> {
                long n = r.readLength();
                List<Scored> members = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    byte[] member = r.readString();
                    members.add(new Scored(member, type == TYPE_ZSET ? r.readTextDouble() : r.readBinaryDouble()));
                }
                yield new RdbValue.SortedSetOf(members);
            }
            case TYPE_HASH -> {
                long n = r.readLength();
                List<Field> fields = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    fields.add(new Field(r.readString(), r.readString()));
                }
                yield new RdbValue.HashOf(fields);
            }
            case TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2 -> {
                long nodes = r.readLength();
                List<byte[]> elements = new ArrayList<>();
                for (long i = 0; i < nodes; i++) {
                    int container = type == TYPE_LIST_QUICKLIST ? QUICKLIST_NODE_PACKED : (int) r.readLength();
                    long blobAt = r.offset();
                    byte[] blob = r.readString();
                    switch (container) {
                        case QUICKLIST_NODE_PLAIN -> elements.add(blob);
                        case QUICKLIST_NODE_PACKED -> elements.addAll(type == TYPE_LIST_QUICKLIST
                                ? CompactEncodings.ziplist(blob, blobAt) : CompactEncodings.listpack(blob, blobAt));
                        default -> throw new RdbException("corrupt: quicklist node container " + container + " at byte " + blobAt);
                    }
                }
                yield new RdbValue.ListOf(elements);
            }
            case TYPE_LIST_ZIPLIST -> new RdbValue.ListOf(blob(r, CompactEncodings::ziplist));
            case TYPE_SET_INTSET -> new RdbValue.SetOf(blob(r, CompactEncodings::intset));
            case TYPE_SET_LISTPACK -> new RdbValue.SetOf(blob(r, CompactEncodings::listpack));
            case TYPE_HASH_ZIPMAP -> new RdbValue.HashOf(fields(blob(r, CompactEncodings::zipmap), at));
            case TYPE_HASH_ZIPLIST -> new RdbValue.HashOf(fields(blob(r, CompactEncodings::ziplist), at));
            case TYPE_HASH_LISTPACK -> new RdbValue.HashOf(fields(blob(r, CompactEncodings::listpack), at));
            case TYPE_ZSET_ZIPLIST -> new RdbValue.SortedSetOf(scored(blob(r, CompactEncodings::ziplist), at));
            case TYPE_ZSET_LISTPACK -> new RdbValue.SortedSetOf(scored(blob(r, CompactEncodings::listpack), at));
            case TYPE_MODULE_PRE_GA, TYPE_MODULE_2 -> throw new RdbException("the key " + name(key) + " (at byte " + at
                    + ") holds a module value (module " + moduleName(r.readLength()) + "): jpmem-redis has no modules");
            case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3 -> throw new RdbException("the key "
                    + name(key) + " (at byte " + at + ") holds a stream: jpmem-redis has no streams yet");
            default -> throw new RdbException("corrupt: unknown value type " + type + " at byte " + at);
        };
    }

    private static String name(byte[] key) {
        return key == null ? "of the payload" : "'" + new String(key, StandardCharsets.UTF_8) + "'";
    }

    private interface BlobParser {
        List<byte[]> parse(byte[] blob, long at) throws RdbException;
    }

    private static List<byte[]> blob(RdbInput r, BlobParser parser) throws IOException, RdbException {
        long at = r.offset();
        return parser.parse(r.readString(), at);
    }

    private static List<byte[]> strings(RdbInput r) throws IOException, RdbException {
        long n = r.readLength();
        List<byte[]> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(r.readString());
        }
        return out;
    }

    private static List<Field> fields(List<byte[]> flat, long at) throws RdbException {
        if (flat.size() % 2 != 0) {
            throw new RdbException("corrupt: a hash at byte " + at + " has a field without a value");
        }
        List<Field> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i < flat.size(); i += 2) {
            out.add(new Field(flat.get(i), flat.get(i + 1)));
        }
        return out;
    }

    private static List<Scored> scored(List<byte[]> flat, long at) throws RdbException {
        if (flat.size() % 2 != 0) {
            throw new RdbException("corrupt: a sorted set at byte " + at + " has a member without a score");
        }
        List<Scored> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i < flat.size(); i += 2) {
            out.add(new Scored(flat.get(i), CompactEncodings.parseScore(flat.get(i + 1), at)));
        }
        return out;
    }

    private static final String MODULE_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** {@return a module type's 9-character name, as the top 54 bits of its 64-bit id spell it} */
    static String moduleName(long id) {
        char[] name = new char[9];
        long bits = id >>> 10; // the low 10 bits are the encoding version
        for (int j = 8; j >= 0; j--) {
            name[j] = MODULE_CHARSET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(name);
    }
}

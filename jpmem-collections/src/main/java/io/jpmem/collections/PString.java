package io.jpmem.collections;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.spi.HeapSpi;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.PersistentObject;
import io.jpmem.objects.Wrap;
import io.jpmem.objects.spi.PersistentHandle;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable persistent string: its UTF-8 bytes in one block of its own (type
 * {@code io.jpmem.collections.PString}, a BYTE array), readable without building a
 * {@code java.lang.String}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #byteLength()}, {@link #byteAt}, {@link #getBytes} read the UTF-8 bytes in place.
 *   <li>{@link #equals(Object)} is true only for another {@code PString} with the same bytes (so it
 *       stays symmetric); {@link #contentEquals(String)} and {@link #contentEquals(byte[])} compare
 *       with Java values without materializing. {@link #hashCode()} is
 *       {@code java.util.Arrays.hashCode(bytes)} (consistent with equals; computed once per handle).
 *   <li>It is {@link Comparable}: {@link #compareTo} orders by unsigned bytes, which for UTF-8 is
 *       code point order (Redis's {@code memcmp} order). It differs from {@code String.compareTo}
 *       (UTF-16 order) only between supplementary characters and U+E000..U+FFFF.
 *   <li>It is not a {@link CharSequence}: {@code length()}/{@code charAt} count UTF-16 units, which
 *       UTF-8 bytes cannot give in O(1); {@link #toString()} builds the {@code String} when needed.
 *   <li>A String is encoded as {@code String.getBytes(UTF_8)} does (an unpaired surrogate becomes {@code '?'}).
 * </ul>
 *
 * <h2>Lifetime</h2>
 * {@code new PString(...)} allocates like {@code new} of a {@code @Persistent} class: in the heap of
 * the thread's transaction (published at its commit) or in the {@linkplain ObjectSpace#setDefault
 * default} heap (in a transaction of its own). Collections and fields hold a PString by reference and
 * never free it; {@link #free()} does.
 */
public final class PString implements PersistentObject, Comparable<PString> {

    private final PersistentHandle handle = new PersistentHandle();

    /** The block is the UTF-8 bytes themselves. */
    public static TypeLayout $jpmem$layout() {
        return TypeLayout.ofArray(PString.class.getName(), FieldKind.BYTE);
    }

    private final long byteLength;
    private int hash;
    private boolean hashed;

    /**
     * Copies {@code value}'s UTF-8 bytes into a new block.
     *
     * @throws IllegalStateException if no heap can be chosen (see {@link ObjectSpace})
     */
    public PString(String value) {
        this(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Copies {@code utf8} (taken as UTF-8, not validated) into a new block.
     *
     * @throws IllegalStateException if no heap can be chosen (see {@link ObjectSpace})
     */
    public PString(byte[] utf8) {
        this(utf8, 0, utf8.length);
    }

    /**
     * Copies {@code length} bytes of {@code utf8} from {@code index} into a new block.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code utf8}
     * @throws IllegalStateException if no heap can be chosen (see {@link ObjectSpace})
     */
    public PString(byte[] utf8, int index, int length) {
        Objects.checkFromIndexSize(index, length, utf8.length);
        handle.allocateArray(this, length);
        this.byteLength = length;
        if (length > 0) {
            PersistentHeap heap = heap();
            Optional<Transaction> tx = heap.currentTransaction();
            if (tx.isPresent()) {
                tx.get().putBytes(header(), utf8, index, length); // new in tx: not logged, flushed at commit
            } else {
                heap.putBytes(header(), utf8, index, length);     // unreachable until linked: no log needed
                heap.persist(header(), length);
            }
        }
    }

    /** The wrapping constructor the runtime uses for existing blocks. */
    public PString(Wrap wrap, ObjectSpace space, long ref) {
        $jpmemBind(wrap, space, ref);
        this.byteLength = space.heap().blockByteSize(ref);
    }

    @Override
    public long $jpmemRef() {
        return handle.ref();
    }

    @Override
    public ObjectSpace $jpmemSpace() {
        return handle.space();
    }

    @Override
    public void $jpmemBind(Wrap wrap, ObjectSpace space, long ref) {
        handle.bind(wrap, space, ref);
    }

    private PersistentHeap heap() {
        return handle.heap();
    }

    private long header() {
        return handle.ref();
    }

    private ObjectSpace space() {
        return handle.space();
    }

    /** {@return the length in UTF-8 bytes} */
    public long byteLength() {
        return byteLength;
    }

    /** {@return whether it has no bytes} */
    public boolean isEmpty() {
        return byteLength == 0;
    }

    /**
     * {@return byte {@code index}}
     *
     * @throws IndexOutOfBoundsException outside [0, byteLength)
     */
    public byte byteAt(long index) {
        Objects.checkIndex(index, byteLength);
        return heap().getByte(header() + index);
    }

    /** {@return a copy of all the bytes} */
    public byte[] getBytes() {
        byte[] bytes = new byte[Math.toIntExact(byteLength)];
        heap().getBytes(header(), bytes, 0, bytes.length);
        return bytes;
    }

    /**
     * Copies {@code length} bytes from {@code from} into {@code target} at {@code index}.
     *
     * @throws IndexOutOfBoundsException if either range is out of bounds
     */
    public void getBytes(long from, byte[] target, int index, int length) {
        Objects.checkFromIndexSize(from, length, byteLength);
        Objects.checkFromIndexSize(index, length, target.length);
        heap().getBytes(header() + from, target, index, length);
    }

    /**
     * {@return bytes {@code [from, to)}} (GETRANGE reads this after clamping its indices).
     *
     * @throws IndexOutOfBoundsException if not {@code 0 <= from <= to <= byteLength}
     */
    public byte[] getBytes(long from, long to) {
        Objects.checkFromToIndex(from, to, byteLength);
        byte[] bytes = new byte[Math.toIntExact(to - from)];
        heap().getBytes(header() + from, bytes, 0, bytes.length);
        return bytes;
    }

    /** Bytes read from the heap at a time by the comparisons and the hash: a small buffer. */
    private static final int STEP = 1024;
    /** Strings up to this many chars are compared after one {@code getBytes(UTF_8)}; longer ones stream. */
    private static final int ENCODE_WHOLE = 4096;

    /** {@return whether the bytes equal {@code bytes}} */
    public boolean contentEquals(byte[] bytes) {
        return bytes.length == byteLength && compareBytes(bytes) == 0;
    }

    /** {@return whether the bytes are the UTF-8 encoding of {@code value}}, without encoding it whole. */
    public boolean contentEquals(String value) {
        // every UTF-16 unit takes at least one UTF-8 byte and at most three
        if (value.length() > byteLength || (long) value.length() * 3 < byteLength) {
            return false;
        }
        return compareTo(value) == 0;
    }

    /**
     * {@return the unsigned-byte comparison of these bytes with {@code bytes}} negative, zero or
     * positive as this string orders before, equal to or after them.
     */
    public int compareBytes(byte[] bytes) {
        PersistentHeap heap = heap();
        long common = Math.min(byteLength, bytes.length);
        byte[] buffer = new byte[(int) Math.min(STEP, common)];
        for (int done = 0; done < common; ) {
            int n = (int) Math.min(buffer.length, common - done);
            heap.getBytes(header() + done, buffer, 0, n);
            int c = java.util.Arrays.compareUnsigned(buffer, 0, n, bytes, done, done + n);
            if (c != 0) {
                return c;
            }
            done += n;
        }
        return Long.compare(byteLength, bytes.length);
    }

    /**
     * {@return the comparison of these bytes with the UTF-8 encoding of {@code value}} in unsigned
     * byte (code point) order. No String is built from the heap; a value of up to 4096 chars is encoded
     * at once, a longer one as the comparison goes.
     */
    public int compareTo(String value) {
        if (value.length() <= ENCODE_WHOLE) {
            return compareBytes(value.getBytes(StandardCharsets.UTF_8)); // the JDK's encoder is intrinsic: faster
        }
        PersistentHeap heap = heap();
        long at = header();
        byte[] buffer = new byte[(int) Math.min(STEP, byteLength)];
        long bufferStart = 0;
        int bufferLength = 0;
        long position = 0;
        byte[] unit = new byte[4];
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            int n;
            if (c < 0x80) {
                unit[0] = (byte) c;
                n = 1;
                i++;
            } else {
                n = encode(value, i, unit);
                i += (n == 4) ? 2 : 1;
            }
            for (int k = 0; k < n; k++, position++) {
                if (position == byteLength) {
                    return -1;
                }
                if (position >= bufferStart + bufferLength) {
                    bufferStart = position;
                    bufferLength = (int) Math.min(buffer.length, byteLength - position);
                    heap.getBytes(at + position, buffer, 0, bufferLength);
                }
                int a = buffer[(int) (position - bufferStart)] & 0xFF;
                int b = unit[k] & 0xFF;
                if (a != b) {
                    return a - b;
                }
            }
        }
        return position == byteLength ? 0 : 1;
    }

    /** {@return the comparison by unsigned bytes (code point order)} */
    @Override
    public int compareTo(PString other) {
        if (other == this) {
            return 0;
        }
        PersistentHeap heap = heap();
        PersistentHeap otherHeap = other.heap();
        long common = Math.min(byteLength, other.byteLength);
        byte[] mine = new byte[(int) Math.min(STEP, common)];
        byte[] theirs = new byte[mine.length];
        for (long done = 0; done < common; ) {
            int n = (int) Math.min(mine.length, common - done);
            heap.getBytes(header() + done, mine, 0, n);
            otherHeap.getBytes(other.header() + done, theirs, 0, n);
            int c = java.util.Arrays.compareUnsigned(mine, 0, n, theirs, 0, n);
            if (c != 0) {
                return c;
            }
            done += n;
        }
        return Long.compare(byteLength, other.byteLength);
    }

    /** {@return whether {@code o} is a PString with the same bytes} */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof PString other && other.byteLength == byteLength && compareTo(other) == 0);
    }

    /** {@return {@code Arrays.hashCode} of the bytes} */
    @Override
    public int hashCode() {
        if (!hashed) {
            PersistentHeap heap = heap();
            byte[] buffer = new byte[(int) Math.min(STEP, byteLength)];
            int h = 1;
            for (long done = 0; done < byteLength; ) {
                int n = (int) Math.min(buffer.length, byteLength - done);
                heap.getBytes(header() + done, buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    h = 31 * h + buffer[i];
                }
                done += n;
            }
            hash = h;
            hashed = true;
        }
        return hash;
    }

    /** {@return the string decoded from the bytes} (a new String each call) */
    @Override
    public String toString() {
        return new String(getBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Frees the block, in the thread's transaction on its heap or in one of its own. The handle must
     * not be used afterwards, and nothing may still refer to the block.
     */
    public void free() {
        HeapSpi.inTransaction(heap(), tx -> space().free(tx, this));
    }

    /** UTF-8 of the code point at {@code i} (a surrogate pair counts as one; an unpaired surrogate is '?'). */
    private static int encode(String s, int i, byte[] out) {
        char c = s.charAt(i);
        if (c < 0x80) {
            out[0] = (byte) c;
            return 1;
        }
        if (c < 0x800) {
            out[0] = (byte) (0xC0 | c >> 6);
            out[1] = (byte) (0x80 | c & 0x3F);
            return 2;
        }
        if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                out[0] = (byte) (0xF0 | cp >> 18);
                out[1] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[2] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[3] = (byte) (0x80 | cp & 0x3F);
                return 4;
            }
            out[0] = '?';
            return 1;
        }
        out[0] = (byte) (0xE0 | c >> 12);
        out[1] = (byte) (0x80 | c >> 6 & 0x3F);
        out[2] = (byte) (0x80 | c & 0x3F);
        return 3;
    }
}

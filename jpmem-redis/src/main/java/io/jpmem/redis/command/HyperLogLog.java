package io.jpmem.redis.command;

import java.util.Arrays;

/**
 * Redis's HyperLogLog, as the string value Redis stores, byte for byte, so that GET, DUMP and
 * replication of an HLL key interoperate and estimates are Redis's exactly.
 *
 * <p><b>Format</b> (documented in Redis's hyperloglog.c): a 16-byte header — {@code "HYLL"}, the
 * encoding (0 dense, 1 sparse), three unused bytes, and the cached cardinality as 8 bytes little
 * endian, invalid when the top bit of its last byte is set — then 2^14 = 16,384 registers of 6 bits:
 * <ul>
 * <li>dense: 12,288 bytes, register {@code i} at bit {@code 6i}, least significant bit first;</li>
 * <li>sparse: run-length opcodes — {@code 00xxxxxx} ZERO, 1..64 zero registers;
 * {@code 01xxxxxx yyyyyyyy} XZERO, 1..16,384 zero registers; {@code 1vvvvvxx} VAL, 1..4 registers of
 * value 1..32. A new HLL is sparse: one XZERO of 16,384.</li>
 * </ul>
 *
 * <p><b>Adding</b> an element hashes it with MurmurHash64A (seed {@code 0xadc83b19}): the low 14
 * bits pick the register, and the register takes 1 + the number of trailing zero bits of the rest
 * (with bit 50 set, so at most 51) if that is more than it holds. A sparse HLL is changed in place:
 * the opcode covering the register is split (a ZERO or XZERO into zeros-VAL-zeros, a VAL into
 * VAL-VAL-VAL), VAL opcodes next to each other with one value are merged, looking at no more than
 * five opcodes from the one before the change, and it is promoted to dense when a value above 32
 * is needed or the string would grow past {@link #SPARSE_MAX_BYTES}. These rules decide the exact
 * bytes, so they are Redis's rules.
 *
 * <p><b>Counting</b> uses the register histogram and Otmar Ertl's estimator ("New cardinality
 * estimation algorithms for HyperLogLog sketches", 2017), as Redis 5+ does:
 * {@code z = m·tau(1 - C[q+1]/m)}, then for k = q..1 {@code z = (z + C[k])/2}, plus
 * {@code m·sigma(C[0]/m)}; the estimate is {@code round(alpha_inf·m²/z)}.
 *
 * <p>The functions here take and return whole string values (the caller stores the result);
 * {@link Sparse} edits a copy.
 */
final class HyperLogLog {

    private HyperLogLog() {}

    /** Redis's hll-sparse-max-bytes default: a sparse HLL longer than this (header included) becomes dense. */
    static final int SPARSE_MAX_BYTES = 3000;

    static final int P = 14;
    static final int REGISTERS = 1 << P;
    static final int Q = 64 - P;
    static final int HEADER = 16;
    static final int DENSE_SIZE = HEADER + (REGISTERS * 6 + 7) / 8;
    static final byte DENSE = 0;
    static final byte SPARSE = 1;
    private static final long SEED = 0xadc83b19L;
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** Thrown for an HLL whose registers cannot be read (Redis's INVALIDOBJ). */
    static CommandError corrupted() {
        return new CommandError("INVALIDOBJ Corrupted HLL object detected");
    }

    /** {@return whether {@code value} passes Redis's check of an HLL string: magic, encoding, dense size} */
    static boolean isValid(byte[] value) {
        if (value.length < HEADER || value[0] != 'H' || value[1] != 'Y' || value[2] != 'L' || value[3] != 'L') {
            return false;
        }
        int encoding = value[4] & 0xFF;
        return encoding <= SPARSE && (encoding != DENSE || value.length == DENSE_SIZE);
    }

    /** {@return a new, empty HLL: sparse, one XZERO opcode, cached cardinality 0} */
    static byte[] create() {
        byte[] hll = new byte[HEADER + 2];
        hll[0] = 'H';
        hll[1] = 'Y';
        hll[2] = 'L';
        hll[3] = 'L';
        hll[4] = SPARSE;
        hll[HEADER] = (byte) (0x40 | ((REGISTERS - 1) >>> 8));
        hll[HEADER + 1] = (byte) ((REGISTERS - 1) & 0xFF);
        return hll;
    }

    /** Marks the cached cardinality stale (the other cache bytes are kept, as Redis keeps them). */
    static void invalidateCache(byte[] hll) {
        hll[15] |= (byte) 0x80;
    }

    /** {@return the cached cardinality, or -1 if it is stale} */
    static long cachedCount(byte[] hll) {
        if ((hll[15] & 0x80) != 0) {
            return -1;
        }
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (hll[8 + i] & 0xFF);
        }
        return card;
    }

    /** Stores {@code card} as the cached cardinality. */
    static void setCachedCount(byte[] hll, long card) {
        for (int i = 0; i < 8; i++) {
            hll[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ---- hashing ----

    /** MurmurHash64A (Austin Appleby's 64-bit MurmurHash2) of {@code data}, little-endian blocks. */
    static long murmurHash64A(byte[] data, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int length = data.length;
        long h = seed ^ (length * m);
        int blocks = length / 8;
        for (int b = 0; b < blocks; b++) {
            long k = 0;
            for (int i = 7; i >= 0; i--) {
                k = (k << 8) | (data[b * 8 + i] & 0xFF);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = blocks * 8;
        int rest = length & 7;
        if (rest > 0) {
            for (int i = rest - 1; i >= 0; i--) {
                h ^= (long) (data[tail + i] & 0xFF) << (8 * i);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** {@return the register an element goes to (low bits) and the value it brings (bits 32..), packed} */
    static long registerAndValue(byte[] element) {
        long hash = murmurHash64A(element, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        long rest = (hash >>> P) | (1L << Q);
        int value = Long.numberOfTrailingZeros(rest) + 1;
        return ((long) value << 32) | index;
    }

    // ---- dense registers ----

    static int denseGet(byte[] hll, int index) {
        int bit = index * 6;
        int b0 = hll[HEADER + (bit >>> 3)] & 0xFF;
        int b1 = (bit >>> 3) + 1 < (REGISTERS * 6 + 7) / 8 ? hll[HEADER + (bit >>> 3) + 1] & 0xFF : 0;
        int shift = bit & 7;
        return ((b0 >>> shift) | (b1 << (8 - shift))) & 63;
    }

    static void denseSet(byte[] hll, int index, int value) {
        int bit = index * 6;
        int at = HEADER + (bit >>> 3);
        int shift = bit & 7;
        int b0 = hll[at] & 0xFF;
        b0 = (b0 & ~(63 << shift)) | (value << shift);
        hll[at] = (byte) b0;
        if (shift > 2) {
            int b1 = hll[at + 1] & 0xFF;
            b1 = (b1 & ~(63 >>> (8 - shift))) | (value >>> (8 - shift));
            hll[at + 1] = (byte) b1;
        }
    }

    // ---- sparse opcodes ----

    static boolean isZero(int op) {
        return (op & 0xC0) == 0x00;
    }

    static boolean isXZero(int op) {
        return (op & 0xC0) == 0x40;
    }

    static int zeroLength(int op) {
        return (op & 0x3F) + 1;
    }

    static int xzeroLength(int op, int next) {
        return (((op & 0x3F) << 8) | next) + 1;
    }

    static int valValue(int op) {
        return ((op >>> 2) & 0x1F) + 1;
    }

    static int valLength(int op) {
        return (op & 0x3) + 1;
    }

    static byte val(int value, int length) {
        return (byte) (0x80 | ((value - 1) << 2) | (length - 1));
    }

    /**
    /** Raises each of {@code max}'s registers to {@code hll}'s; {@return false for a corrupted sparse HLL} */
    static boolean mergeInto(byte[] max, byte[] hll) {
        if (hll[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(hll, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int index = 0;
        int p = HEADER;
        while (p < hll.length) {
            int op = hll[p] & 0xFF;
            if (isZero(op)) {
                index += zeroLength(op);
                p++;
            } else if (isXZero(op)) {
                index += xzeroLength(op, p + 1 < hll.length ? hll[p + 1] & 0xFF : 0);
                p += 2;
            } else {
                int length = valLength(op);
                int value = valValue(op);
                if (index + length > REGISTERS) {
                    return false; // a VAL past the last register: corrupted (even right after it, as redis-server 7.0.15 finds)
                }
                for (int i = 0; i < length; i++, index++) {
                    if (value > max[index]) {
                        max[index] = (byte) value;
                    }
                }
                p++;
            }
        }
        return index == REGISTERS;
    }

    /** {@return the histogram of register values (64 slots), or null if a sparse HLL is corrupted} */
    static int[] histogram(byte[] hll) {
        int[] histogram = new int[64];
        if (hll[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseGet(hll, i)]++;
            }
            return histogram;
        }
        int index = 0;
        int p = HEADER;
        while (p < hll.length) {
            int op = hll[p] & 0xFF;
            int length;
            if (isZero(op)) {
                length = zeroLength(op);
                histogram[0] += length;
                p++;
            } else if (isXZero(op)) {
                length = xzeroLength(op, p + 1 < hll.length ? hll[p + 1] & 0xFF : 0);
                histogram[0] += length;
                p += 2;
            } else {
                length = valLength(op);
                histogram[valValue(op)] += length;
                p++;
            }
            index += length;
        }
        return index == REGISTERS ? histogram : null;
    }

    /** {@return the histogram of one-byte registers} */
    static int[] histogramOfRegisters(byte[] registers) {
        int[] histogram = new int[64];
        for (byte r : registers) {
            histogram[r]++;
        }
        return histogram;
    }

    /** {@return the cardinality estimate of a register histogram} */
    static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int k = Q; k >= 1; k--) {
            z += histogram[k];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    /** Ertl's sigma: x + sum over k >= 1 of x^(2^k)·2^(k-1), summed until it no longer changes. */
    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    /** Ertl's tau: (1 - x - sum over k >= 1 of (1 - x^(2^-k))²·2^-k) / 3, summed until it no longer changes. */
    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (previous != z);
        return z / 3;
    }

    /** {@return {@code hll} (sparse) as a dense HLL with the same header bytes, or null if it is corrupted} */
    static byte[] toDense(byte[] hll) {
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(hll, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int index = 0;
        int p = HEADER;
        while (p < hll.length) {
            int op = hll[p] & 0xFF;
            if (isZero(op)) {
                index += zeroLength(op);
                p++;
            } else if (isXZero(op)) {
                index += xzeroLength(op, p + 1 < hll.length ? hll[p + 1] & 0xFF : 0);
                p += 2;
            } else {
                int length = valLength(op);
                int value = valValue(op);
                if (index + length > REGISTERS) {
                    return null;
                }
                for (int i = 0; i < length; i++) {
                    denseSet(dense, index++, value);
                }
                p++;
            }
        }
        return index == REGISTERS ? dense : null;
    }

    /**
     * A sparse HLL being changed: a copy of the string with room to grow. {@link #set} returns
     * whether the register changed; it may promote the copy to dense ({@link #bytes} then gives the
     * dense string).
     */
    static final class Sparse {
        private byte[] buffer;
        private int length;
        private boolean dense;

        Sparse(byte[] hll) {
            buffer = Arrays.copyOf(hll, hll.length + 8);
            length = hll.length;
            dense = hll[4] == DENSE;
        }

        /** {@return the HLL string as it is now} */
        byte[] bytes() {
            return Arrays.copyOf(buffer, length);
        }

        /**
         * Raises register {@code index} to {@code value} if it is lower.
         *
         * @return whether the register changed
         * @throws CommandError INVALIDOBJ if the sparse opcodes do not cover the register
         */
        boolean set(int index, int value) {
            if (dense) {
                if (denseGet(buffer, index) >= value) {
                    return false;
                }
                denseSet(buffer, index, value);
                return true;
            }
            if (value > 32) {
                return promoteAndSet(index, value);
            }
            // Find the opcode covering the register.
            int p = HEADER;
            int previous = -1;
            int first = 0;
            int span = 0;
            while (p < length) {
                int op = buffer[p] & 0xFF;
                int opLength = 1;
                if (isZero(op)) {
                    span = zeroLength(op);
                } else if (isXZero(op)) {
                    span = xzeroLength(op, p + 1 < length ? buffer[p + 1] & 0xFF : 0);
                    opLength = 2;
                } else {
                    span = valLength(op);
                }
                if (index <= first + span - 1) {
                    break;
                }
                previous = p;
                p += opLength;
                first += span;
            }
            if (span == 0 || p >= length) {
                throw corrupted();
            }
            int op = buffer[p] & 0xFF;
            boolean zero = isZero(op);
            boolean xzero = isXZero(op);
            int oldLength = xzero ? 2 : 1;
            if (!zero && !xzero) {
                if (valValue(op) >= value) {
                    return false;
                }
                if (span == 1) {
                    buffer[p] = val(value, 1);
                    mergeFrom(previous);
                    return true;
                }
            } else if (zero && span == 1) {
                buffer[p] = val(value, 1);
                mergeFrom(previous);
                return true;
            }
            // Split the opcode into up to three: what is before the register, the register, what is after.
            byte[] sequence = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    n = zeros(sequence, n, index - first);
                }
                sequence[n++] = val(value, 1);
                if (index != last) {
                    n = zeros(sequence, n, last - index);
                }
            } else {
                int current = valValue(op);
                if (index != first) {
                    sequence[n++] = val(current, index - first);
                }
                sequence[n++] = val(value, 1);
                if (index != last) {
                    sequence[n++] = val(current, last - index);
                }
            }
            int delta = n - oldLength;
            if (delta > 0 && length + delta > SPARSE_MAX_BYTES) {
                return promoteAndSet(index, value);
            }
            if (Math.max(length + delta, p + n) > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, Math.max(length + delta, p + n)));
            }
            int next = p + oldLength;
            if (next < length) {
                System.arraycopy(buffer, next, buffer, next + delta, length - next);
            } // else a last XZERO cut after its first byte (corrupted): the string grows by delta all the same, as Redis's
            length += delta;
            System.arraycopy(sequence, 0, buffer, p, n);
            mergeFrom(previous);
            return true;
        }

        private static int zeros(byte[] sequence, int n, int count) {
            if (count > 64) {
                sequence[n] = (byte) (0x40 | ((count - 1) >>> 8));
                sequence[n + 1] = (byte) ((count - 1) & 0xFF);
                return n + 2;
            }
            sequence[n] = (byte) (count - 1);
            return n + 1;
        }

        /** Merges adjacent VAL opcodes of one value, looking at five opcodes from {@code from} (-1: the first). */
        private void mergeFrom(int from) {
            int p = from < 0 ? HEADER : from;
            for (int looked = 0; p < length && looked < 5; looked++) {
                int op = buffer[p] & 0xFF;
                if (isXZero(op)) {
                    p += 2;
                    continue;
                }
                if (isZero(op)) {
                    p++;
                    continue;
                }
                if (p + 1 < length && !isZero(buffer[p + 1] & 0xFF) && !isXZero(buffer[p + 1] & 0xFF)) {
                    int next = buffer[p + 1] & 0xFF;
                    int merged = valLength(op) + valLength(next);
                    if (valValue(op) == valValue(next) && merged <= 4) {
                        buffer[p + 1] = val(valValue(op), merged);
                        System.arraycopy(buffer, p + 1, buffer, p, length - p - 1);
                        length--;
                        continue; // look at the merged opcode again
                    }
                }
                p++;
            }
        }

        private boolean promoteAndSet(int index, int value) {
            byte[] converted = toDense(Arrays.copyOf(buffer, length));
            if (converted == null) {
                throw corrupted();
            }
            buffer = converted;
            length = converted.length;
            dense = true;
            denseSet(buffer, index, value);
            return true;
        }
    }
}

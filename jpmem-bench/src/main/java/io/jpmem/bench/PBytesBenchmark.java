package io.jpmem.bench;

import io.jpmem.collections.PBytes;
import io.jpmem.collections.PString;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PBytes and PString against byte[] / ByteArrayOutputStream / String in the same run: APPEND of 16
 * bytes (reset to empty at each iteration), GETRANGE of 64 bytes out of 1 KiB, SETRANGE of 16 bytes,
 * and a 1 KiB string's equality and hash against a String (Redis values of 1 KiB, as in the server's
 * workload). Each PBytes write is one transaction of its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PBytesBenchmark {

    @Param({"PROCESS", "POWER"})
    public Durability durability;

    PersistentHeap heap;
    PBytes appended;
    ByteArrayOutputStream appendedJava;
    PBytes value;
    byte[] valueJava;
    PString string;
    String stringJava;
    String otherStringJava;
    byte[] chunk = new byte[16];
    int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        heap = BenchHeaps.create(durability, 1L << 30);
        ObjectSpace.setDefault(heap);
        valueJava = new byte[1024];
        Arrays.fill(valueJava, (byte) 'x');
        value = new PBytes(valueJava);
        appended = new PBytes();
        appendedJava = new ByteArrayOutputStream();
        stringJava = new String(valueJava, StandardCharsets.UTF_8);
        otherStringJava = new String(valueJava, StandardCharsets.UTF_8); // equal, not identical
        string = new PString(stringJava);
        ObjectSpace.of(heap).setRoot("value", value);
        ObjectSpace.of(heap).setRoot("appended", appended);
        ObjectSpace.of(heap).setRoot("string", string);
    }

    @TearDown(Level.Iteration)
    public void reset() {
        appended.setLength(0);
        appendedJava.reset();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ObjectSpace.setDefault(null);
        BenchHeaps.delete(heap);
    }

    private int offset() {
        next = (next + 64) & 1023;
        return next;
    }

    @Benchmark
    public long appendPBytes() {
        return appended.append(chunk);
    }

    @Benchmark
    public int appendByteArrayOutputStream() {
        appendedJava.write(chunk, 0, chunk.length);
        return appendedJava.size();
    }

    @Benchmark
    public byte[] getRange64PBytes() {
        int from = offset() & ~63;
        return value.getRange(from, from + 64);
    }

    @Benchmark
    public byte[] getRange64ByteArray() {
        int from = offset() & ~63;
        return Arrays.copyOfRange(valueJava, from, from + 64);
    }

    @Benchmark
    public long setRange16PBytes() {
        return value.setRange(offset(), chunk, 0, 16);
    }

    @Benchmark
    public int setRange16ByteArray() {
        int at = offset();
        System.arraycopy(chunk, 0, valueJava, at, 16);
        return at;
    }

    /** Compares 1 KiB without building a String. */
    @Benchmark
    public boolean contentEqualsPString() {
        return string.contentEquals(stringJava);
    }

    @Benchmark
    public boolean equalsString() {
        return stringJava.equals(otherStringJava);
    }

    @Benchmark
    public String toStringPString() {
        return string.toString();
    }
}

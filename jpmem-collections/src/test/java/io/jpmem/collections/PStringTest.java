package io.jpmem.collections;

import static io.jpmem.collections.SeqTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.persist.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PString against String: bytes, comparisons, equality and hashing, in and out of a list, across reopen. */
class PStringTest {

    @TempDir
    Path dir;

    @AfterEach
    void noDefault() {
        ObjectSpace.setDefault(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsLikeItsStringAcrossReopen() {
        long seed = seed("PStringTest");
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("pstring.heap");
        List<String> model = new ArrayList<>();
        PersistentHeap heap = open(file, Durability.PROCESS);
        PList<PString> strings = new PList<>();
        ObjectSpace.of(heap).setRoot("strings", strings);
        for (int i = 0; i < 300; i++) {
            String s = i % 50 == 7 ? "a\ud800b" : randomString(random); // an unpaired surrogate too
            model.add(s);
            strings.add(i % 2 == 0 ? new PString(s) : new PString(s.getBytes(StandardCharsets.UTF_8)));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < model.size(); i++) {
                String context = "seed " + seed + " string " + i + " round " + round;
                String s = model.get(i);
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                PString p = strings.get(i);
                assertSame(p, strings.get(i), "one canonical handle per block");
                assertEquals(utf8.length, p.byteLength(), context);
                assertArrayEquals(utf8, p.getBytes(), context);
                assertEquals(new String(utf8, StandardCharsets.UTF_8), p.toString(), context);
                assertTrue(p.contentEquals(s), context);
                assertTrue(p.contentEquals(utf8), context);
                assertEquals(Arrays.hashCode(utf8), p.hashCode(), context);
                if (utf8.length > 0) {
                    int at = random.nextInt(utf8.length);
                    assertEquals(utf8[at], p.byteAt(at), context);
                    assertArrayEquals(Arrays.copyOfRange(utf8, at, utf8.length), p.getBytes(at, utf8.length), context);
                }
                String other = model.get(random.nextInt(model.size()));
                byte[] otherUtf8 = other.getBytes(StandardCharsets.UTF_8);
                int expected = Integer.signum(Arrays.compareUnsigned(utf8, otherUtf8));
                assertEquals(expected, Integer.signum(p.compareTo(other)), context + " vs " + other);
                assertEquals(expected, Integer.signum(p.compareBytes(otherUtf8)), context);
                PString q = strings.get(model.indexOf(other));
                assertEquals(expected, Integer.signum(p.compareTo(q)), context);
                assertEquals(expected == 0, p.equals(q), context);
                assertEquals(Arrays.equals(utf8, otherUtf8), p.contentEquals(other), context);
                assertFalse(p.equals(s), "a PString never equals a String (equals stays symmetric)");
                assertThrows(IndexOutOfBoundsException.class, () -> p.byteAt(p.byteLength()));
            }
            heap.close();
            heap = open(file, Durability.PROCESS);
            strings = ObjectSpace.of(heap).root("strings", PList.class);
        }
        assertEquals(List.of(), heap.check());
        PList<PString> all = strings;
        heap.transaction(tx -> {
            for (PString p : all) {
                p.free();
            }
            all.clear();
        });
        assertEquals(1, heap.allocationStats().allocatedBlocks(), "only the list header remains");
        heap.close();
    }

    @Test
    void longStringsCompareAcrossReadSteps() {
        long seed = seed("PStringTest.long");
        SplittableRandom random = new SplittableRandom(seed);
        PersistentHeap heap = open(dir.resolve("long.heap"), Durability.PROCESS);
        try {
            for (int round = 0; round < 50; round++) {
                StringBuilder b = new StringBuilder();
                int length = random.nextInt(200, round % 2 == 0 ? 1200 : 6000); // past 4096: the streaming comparison
                while (b.length() < length) {
                    b.append(randomString(random));
                }
                String s = b.toString();
                PString p = new PString(s);
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                String context = "seed " + seed + " round " + round;
                assertTrue(p.contentEquals(s), context);
                assertTrue(p.contentEquals(utf8), context);
                assertEquals(Arrays.hashCode(utf8), p.hashCode(), context);
                // change one character somewhere (often past the first read step)
                int at = random.nextInt(s.length());
                String t = s.substring(0, at) + (char) ('a' + random.nextInt(26)) + s.substring(at + 1);
                byte[] tUtf8 = t.getBytes(StandardCharsets.UTF_8);
                int expected = Integer.signum(Arrays.compareUnsigned(utf8, tUtf8));
                assertEquals(expected, Integer.signum(p.compareTo(t)), context);
                assertEquals(expected, Integer.signum(p.compareBytes(tUtf8)), context);
                assertEquals(expected, Integer.signum(p.compareTo(new PString(t))), context);
                assertEquals(expected == 0, p.contentEquals(t), context);
                assertEquals(expected == 0, p.equals(new PString(tUtf8)), context);
            }
        } finally {
            heap.close();
        }
    }

    @Test
    void prefixesAndEmptyStringsCompare() {
        PersistentHeap heap = open(dir.resolve("prefix.heap"), Durability.PROCESS);
        try {
            PString abc = new PString("abc");
            PString empty = new PString("");
            assertTrue(abc.compareTo("ab") > 0);
            assertTrue(abc.compareTo("abcd") < 0);
            assertTrue(empty.compareTo("a") < 0);
            assertEquals(0, empty.compareTo(""));
            assertTrue(empty.isEmpty());
            assertFalse(abc.contentEquals("ab"));
            assertTrue(new PString("\uffff").compareTo("\ud83d\ude00") < 0, "code point order, not UTF-16 order");
            assertEquals(new PString("abc"), abc);
            assertEquals(new PString("abc").hashCode(), abc.hashCode());
        } finally {
            heap.close();
        }
    }
}

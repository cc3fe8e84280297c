package io.jpmem.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import io.jpmem.heap.internal.format.HeapFormat;
import io.jpmem.heap.testing.FilePatch;
import io.jpmem.heap.testing.FileSnapshot;
import io.jpmem.heap.testing.TestHeaps;
import io.jpmem.persist.Durability;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bin/jpmem, run in-process: output, exit codes, and that info and check never write. */
class JpmemCliTest {

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        CommandLine cli = JpmemCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path heapWithRootsAndTypes() {
        Path file = dir.resolve("app.heap");
        try (PersistentHeap heap = PersistentHeap.create(file, TestHeaps.small(Durability.PROCESS))) {
            HeapType account = heap.types().register(TypeLayout.ofRecord("com.example.Account", 16,
                    FieldLayout.of("balance", FieldKind.LONG, 0), FieldLayout.of("next", FieldKind.REF, 8)));
            heap.transaction(tx -> {
                long first = tx.allocate(account);
                tx.putRef(first + 8, tx.allocate(account));
                heap.roots().create("accounts", first);
                heap.roots().create("empty", 0);
            });
        }
        return file;
    }

    @Test
    void infoPrintsHeaderSizesModeRootsAndTypesWithoutWriting() throws IOException {
        Path file = heapWithRootsAndTypes();
        FileSnapshot before = FileSnapshot.of(file);
        Run run = run("info", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String expected : new String[] {"format         version 1", "shutdown       clean", "max 1 MiB (1048576 bytes)",
                "allocation     2 blocks",
                "on disk", "READ_ONLY", "accounts", "-> null", "com.example.Account", "REF     next", "object area"}) {
            assertTrue(run.out().contains(expected), "missing '" + expected + "' in:\n" + run.out());
        }
        assertEquals(before, FileSnapshot.of(file));
    }

    @Test
    void infoOnANonHeapExitsTwoWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("x.txt"), "hello");
        Run run = run("info", file.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("not a jpmem heap"), run.err());
    }

    @Test
    void checkExitsZeroOnAConsistentHeap() throws IOException {
        Path file = heapWithRootsAndTypes();
        FileSnapshot before = FileSnapshot.of(file);
        Run run = run("check", file.toString());
        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("is consistent"), run.out());
        assertEquals(before, FileSnapshot.of(file));
    }

    @Test
    void checkExitsOneAndListsEveryProblem() throws IOException {
        Path file = heapWithRootsAndTypes();
        long rootTable;
        long typeTable;
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            rootTable = heap.layout().rootTableOffset();
            typeTable = heap.layout().typeTableOffset();
        }
        FilePatch.writeLong(file, rootTable + HeapFormat.RS_VALUE, 12345); // root "accounts" points nowhere
        FilePatch.flipBit(file, typeTable + HeapFormat.TYPE_TABLE_HEADER_BYTES + HeapFormat.TE_FIXED_BYTES + 2);
        FileSnapshot before = FileSnapshot.of(file);
        Run run = run("check", file.toString());
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("2 problem(s)"), run.out());
        assertTrue(run.out().contains("root \"accounts\""), run.out());
        assertTrue(run.out().contains("type table: entry 1"), run.out());
        assertEquals(before, FileSnapshot.of(file));
    }

    @Test
    void checkExitsTwoOnFilesThatAreNotUsableHeaps() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a heap");
        assertEquals(2, run("check", text.toString()).exitCode());
        Path missing = dir.resolve("missing.heap");
        Run run = run("check", missing.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.out().contains("no such file"), run.out());
        Path truncated = heapWithRootsAndTypes();
        try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw")) {
            raf.setLength(100_000);
        }
        FileSnapshot before = FileSnapshot.of(truncated);
        run = run("check", truncated.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.out().contains("truncated"), run.out());
        assertEquals(before, FileSnapshot.of(truncated));
        FilePatch.setHeaderVersion(truncated, 0, 9);
        FilePatch.setHeaderVersion(truncated, 1, 9);
        assertTrue(run("check", truncated.toString()).out().contains("format version 9"));
    }

    @Test
    @SuppressWarnings("try") // the heap is held open for the duration
    void checkExitsTwoWhileTheHeapIsOpenReadWrite() throws IOException {
        Path file = heapWithRootsAndTypes();
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            Run run = run("check", file.toString());
            assertEquals(2, run.exitCode());
            assertTrue(run.out().contains("already open"), run.out());
        }
    }

    @Test
    void checkOfAnUncleanHeapSimulatesRecoveryWithoutWriting() throws IOException {
        Path file = heapWithRootsAndTypes();
        Path unclean = dir.resolve("unclean.heap");
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            try (var tx = heap.begin()) { // a transaction in flight when the copy is taken
                tx.putLong(heap.roots().get("accounts").orElseThrow(), 5);
                Files.copy(file, unclean); // a copy taken while open: as a crash would leave it
            }
        }
        FileSnapshot before = FileSnapshot.of(unclean);
        Run run = run("check", unclean.toString());
        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("not closed cleanly: recovery simulated"), run.out());
        assertTrue(run.out().contains("rolled back 1"), run.out());
        assertEquals(before, FileSnapshot.of(unclean));
        Run info = run("info", unclean.toString());
        assertTrue(info.out().contains("NOT clean"), info.out());
        assertEquals(before, FileSnapshot.of(unclean));
    }

    @Test
    void gcFreesWhatTheApplicationLeakedAndCheckWarnsAboutIt() throws IOException {
        Path file = heapWithRootsAndTypes();
        try (PersistentHeap heap = PersistentHeap.open(file, Durability.PROCESS)) {
            heap.transaction(tx -> tx.putRef(heap.roots().get("accounts").orElseThrow() + 8, 0)); // unlinked, not freed
        }
        Run check = run("check", file.toString());
        assertEquals(0, check.exitCode(), check.out());
        assertTrue(check.out().contains("warning: 1 allocated block(s) unreachable"), check.out());
        Run gc = run("gc", file.toString(), "--durability", "process");
        assertEquals(0, gc.exitCode(), gc.out());
        assertTrue(gc.out().contains("1 blocks reachable, 1 unreachable blocks freed (32 B)"), gc.out());
        check = run("check", file.toString());
        assertFalse(check.out().contains("warning"), check.out());
        assertEquals(2, run("gc", dir.resolve("missing.heap").toString()).exitCode());
    }

    @Test
    void demoShowsWhatSurvivedAcrossRunsAndCrashes() throws IOException {
        Path file = dir.resolve("demo.heap");
        Run first = run("demo", file.toString(), "--durability", "process", "--max-size", "1m", "-m", "first words");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("Created heap"), first.out());
        assertTrue(first.out().contains("Nothing survived yet"), first.out());
        Run second = run("demo", file.toString(), "--durability", "power");
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("closed it cleanly"), second.out());
        assertTrue(second.out().contains("run #1") && second.out().contains("\"first words\""), second.out());
        assertTrue(second.out().contains("Recorded run #2"), second.out());
        try (PersistentHeap heap = PersistentHeap.openReadOnly(file)) {
            assertEquals(1, heap.roots().size());
            assertEquals("jpmem.demo.RunLog", heap.types().get(1).layout().className());
        }
    }

    @Test
    void demoRejectsBadOptionsWithExitTwo() {
        Run run = run("demo", dir.resolve("d.heap").toString(), "--durability", "sometimes");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("durability must be power or process"), run.err());
        run = run("demo", dir.resolve("d.heap").toString(), "--max-size", "lots");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("not a size"), run.err());
        run = run("demo", dir.resolve("d.heap").toString(), "--max-size", "4k");
        assertEquals(2, run.exitCode(), "too small to hold a heap");
        assertTrue(run.err().contains("jpmem demo: maximum heap size 4096 is outside"), run.err());
        assertFalse(Files.exists(dir.resolve("d.heap")));
    }

    @Test
    void helpDocumentsEveryCommand() {
        Run run = run("--help");
        assertEquals(0, run.exitCode());
        for (String command : new String[] {"info", "check", "gc", "demo", "Exit codes"}) {
            assertTrue(run.out().contains(command), run.out());
        }
        assertTrue(run("check", "--help").out().contains("private copy-on-write"));
        assertEquals(2, run("frobnicate").exitCode());
    }
}

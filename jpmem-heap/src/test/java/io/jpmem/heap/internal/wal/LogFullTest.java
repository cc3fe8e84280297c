package io.jpmem.heap.internal.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.testing.SmallFileSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full file system while appending (a real 1 MiB tmpfs, mounted as root as in CI): the group that
 * needs the log to grow fails with {@code NO_SPACE} and nothing of it is written; commits succeed
 * again once there is space; recovery returns exactly the acknowledged commits.
 */
class LogFullTest {

    static final int HEAP = 1 << 16;

    @TempDir
    Path dir;

    @Test
    void aFullFileSystemFailsTheGroupAndTheLogGoesOnWhenSpaceIsBack() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("small"), 1L << 20)) {
            Path filler = fs.dir().resolve("filler");
            byte[] memory = new byte[HEAP];
            long acknowledged = 0;
            WalWriteException full = null;
            try (WalFiles files = RealLog.create(fs.dir())) {
                WriteAheadLog wal = WriteAheadLog.ofNew(files, 64 << 10);
                fill(filler);
                int attempt = 0;
                for (; attempt < 10_000 && full == null; attempt++) {
                    byte[] value = value(attempt);
                    try {
                        wal.commit(List.of(new AfterImage(attempt % 16 * 4096L, value)));
                        System.arraycopy(value, 0, memory, attempt % 16 * 4096, value.length);
                        acknowledged++;
                    } catch (WalWriteException e) {
                        full = e;
                    }
                }
                assertTrue(full != null, "never full after " + acknowledged + " commits");
                assertEquals(WalWriteException.Reason.NO_SPACE, full.reason(), full.getMessage());
                assertTrue(full.getMessage().contains("file system holding it is full"), full.getMessage());
                assertTrue(full.reason().logUsable());
                int stillFull = attempt++;
                assertThrows(WalWriteException.class,
                        () -> wal.commit(List.of(new AfterImage(stillFull % 16 * 4096L, value(stillFull)))));
                Files.delete(filler);
                for (int i = 0; i < 40; i++, attempt++) {
                    byte[] value = value(attempt);
                    assertEquals(acknowledged + 1, wal.commit(List.of(new AfterImage(attempt % 16 * 4096L, value))));
                    System.arraycopy(value, 0, memory, attempt % 16 * 4096, value.length);
                    acknowledged++;
                }
                assertEquals(2, wal.stats().failedGroups());
            }
            RecoveredLog log = RealLog.open(fs.dir(), HEAP);
            WalFiles opened = log.files();
            try (opened) {
                assertEquals(acknowledged, log.lastSeq());
                assertArrayEquals(memory, RealLog.replay(log, HEAP), "the acknowledged commits and nothing else");
            }
        }
    }

    /** Distinct contents per attempt, so a failed commit that was replayed would show. */
    static byte[] value(int attempt) {
        byte[] v = new byte[3000];
        Arrays.fill(v, (byte) (attempt * 7 + 1));
        return v;
    }

    /** Fills the file system to the last byte. */
    static void fill(Path filler) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
                throw e;
            }
        }
    }
}

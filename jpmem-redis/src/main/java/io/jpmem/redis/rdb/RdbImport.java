package io.jpmem.redis.rdb;

import io.jpmem.redis.data.Dataset;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Fills an empty dataset from an RDB file in one heap transaction: after a crash or any refusal
 * the heap holds either the whole file or nothing of it (recovery rolls an unfinished import back),
 * so a half import can never be served. Keys whose expiry has passed are skipped, as Redis skips
 * them when a master loads a file; empty collections are skipped too, as Redis does.
 */
public final class RdbImport {

    private RdbImport() {}

    /** What an import did. */
    public record Result(long keys, long expiredSkipped, long emptySkipped, long bytes) {}

    /** An import refused: the reason, with nothing imported. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(RdbException cause) {
            super(cause);
        }
    }

    /**
     * Imports {@code file} into {@code dataset}, which must hold no key. {@code progress} gets a line
     * about once a second.
     *
     * @throws RdbException if the dataset holds keys, or the file cannot be read (the message says why); nothing changed
     */
    public static Result importInto(Dataset dataset, Path file, Consumer<String> progress) throws IOException, RdbException {
        for (int db = 0; db < dataset.databases(); db++) {
            if (!dataset.dict(db).isEmpty()) {
                throw new RdbException("the heap already holds data (database " + db + " has "
                        + dataset.dict(db).longSize() + " keys): an RDB file is imported into a new heap only");
            }
        }
        return load(dataset, file, progress, () -> { });
    }

    /**
     * A replica's full resync: in one heap transaction, every database is emptied, {@code file} is
     * loaded, and {@code alsoInTransaction} runs (the replication record takes the master's id and
     * offset): a failure or a crash at any point leaves the old dataset whole, never half of either.
     *
     * @throws RdbException if the file cannot be read (the message says why); nothing changed
     */
    public static Result replaceWith(Dataset dataset, Path file, Runnable alsoInTransaction) throws IOException, RdbException {
        return load(dataset, file, line -> { }, () -> {
            for (int db = 0; db < dataset.databases(); db++) {
                dataset.flush(db);
            }
        }, alsoInTransaction);
    }

    private static Result load(Dataset dataset, Path file, Consumer<String> progress, Runnable first)
            throws IOException, RdbException {
        return load(dataset, file, progress, first, () -> { });
    }

    private static Result load(Dataset dataset, Path file, Consumer<String> progress, Runnable first, Runnable last)
            throws IOException, RdbException {
        long size = Files.size(file);
        long[] counts = new long[3];
        long[] read = new long[1];
        long[] nextReport = {System.nanoTime() + 1_000_000_000L};
        long now = System.currentTimeMillis();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = new FilterInputStream(raw) {
                 @Override
                 public int read(byte[] b, int off, int len) throws IOException {
                     int n = super.read(b, off, len);
                     if (n > 0) {
                         read[0] += n;
                     }
                     return n;
                 }
             }) {
            dataset.heap().transaction(tx -> {
                first.run();
                try {
                    RdbReader.read(in, (db, key, value, expireAt) -> {
                        if (db >= dataset.databases()) {
                            throw new RdbException("the file has keys in database " + db + " but the server has "
                                    + dataset.databases() + " (start it with --databases " + (db + 1) + " or more)");
                        }
                        if (LiveValues.isEmptyCollection(value)) {
                            counts[2]++;
                            return;
                        }
                        if (expireAt >= 0 && expireAt <= now) {
                            counts[1]++;
                            return;
                        }
                        if (dataset.dict(db).containsKey(key)) {
                            throw new RdbException("corrupt: the key '" + new String(key, java.nio.charset.StandardCharsets.UTF_8)
                                    + "' of database " + db + " comes twice");
                        }
                        LiveValues.check(value);
                        dataset.set(db, key, LiveValues.create(value), true);
                        if (expireAt >= 0) {
                            dataset.expires(db).put(key, expireAt);
                        }
                        counts[0]++;
                        if (System.nanoTime() > nextReport[0]) {
                            nextReport[0] = System.nanoTime() + 1_000_000_000L;
                            progress.accept(String.format("importing %s: %d keys, %d%% of %s", file, counts[0],
                                    size == 0 ? 100 : read[0] * 100 / size, io.jpmem.heap.PersistentHeap.formatBytes(size)));
                        }
                    });
                    last.run();
                } catch (RdbException e) {
                    throw new Refused(e);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (Refused r) {
            throw (RdbException) r.getCause();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(counts[0], counts[1], counts[2], size);
    }
}

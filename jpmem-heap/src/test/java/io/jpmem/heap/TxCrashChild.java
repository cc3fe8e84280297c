package io.jpmem.heap;

import io.jpmem.heap.testing.KillAtBarrier;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVM of {@link TxCrashTest}: three threads run transactions until the process is killed.
 * Two transfer money between accounts under {@code tx.lock} (the sum never changes) and move the
 * root {@code latest}; one pushes and pops list nodes (allocate/link, unlink/free) and keeps a count
 * beside the list, sometimes with a large block. With a positive barrier count, the child kills
 * itself with SIGKILL at that persist barrier.
 */
public final class TxCrashChild {

    static final int ACCOUNTS = 64;
    static final long INITIAL = 1000;
    static final TypeLayout ACCOUNT = TypeLayout.ofRecord("crash.Account", 8, FieldLayout.of("balance", FieldKind.LONG, 0));
    static final TypeLayout META = TypeLayout.ofRecord("crash.Meta", 24, FieldLayout.of("count", FieldKind.LONG, 0),
            FieldLayout.of("head", FieldKind.REF, 8), FieldLayout.of("big", FieldKind.REF, 16));
    static final TypeLayout NODE = TypeLayout.ofRecord("crash.Node", 16, FieldLayout.of("value", FieldKind.LONG, 0),
            FieldLayout.of("next", FieldKind.REF, 8));
    static final TypeLayout REFS = TypeLayout.ofArray("crash.Refs", FieldKind.REF);

    private TxCrashChild() {}

    static HeapOptions options(Durability durability) {
        return HeapOptions.defaults().withDurability(durability).withMaxByteSize(4L << 20);
    }

    /** args: heap path, durability, seed, barrier to kill at (0: wait to be killed). */
    public static void main(String[] args) throws Throwable {
        Path path = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        long seed = Long.parseLong(args[2]);
        long killAt = Long.parseLong(args[3]);
        KillAtBarrier.arm(killAt);
        PersistentHeap heap = PersistentHeap.openOrCreate(path, options(durability));
        HeapType account = heap.types().register(ACCOUNT);
        HeapType meta = heap.types().register(META);
        HeapType node = heap.types().register(NODE);
        HeapType refs = heap.types().register(REFS);
        if (heap.roots().get("accounts").isEmpty()) {
            heap.transaction(tx -> {
                long array = tx.allocateArray(refs, ACCOUNTS);
                for (int i = 0; i < ACCOUNTS; i++) {
                    long a = tx.allocate(account);
                    tx.putLong(a, INITIAL);
                    tx.putRef(array + 8L * i, a);
                }
                heap.roots().create("accounts", array);
                heap.roots().create("latest", heap.getRef(array));
                heap.roots().create("list", tx.allocate(meta));
            });
        }
        long accounts = heap.roots().get("accounts").orElseThrow();
        long list = heap.roots().get("list").orElseThrow();
        System.out.println("ready");
        System.out.flush();
        ReentrantLock accountsLock = new ReentrantLock();
        Thread[] threads = new Thread[3];
        for (int t = 0; t < 2; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            threads[t] = Thread.ofPlatform().start(() -> {
                while (true) {
                    heap.transaction(tx -> {
                        tx.lock(accountsLock);
                        long from = heap.getRef(accounts + 8L * random.nextInt(ACCOUNTS));
                        long to = heap.getRef(accounts + 8L * random.nextInt(ACCOUNTS));
                        long amount = random.nextLong(1, 50);
                        tx.putLong(from, heap.getLong(from) - amount);
                        tx.putLong(to, heap.getLong(to) + amount);
                        if (random.nextInt(8) == 0) {
                            heap.roots().set("latest", to);
                        }
                    });
                }
            });
        }
        SplittableRandom random = new SplittableRandom(seed + 2);
        threads[2] = Thread.ofPlatform().start(() -> {
            long[] next = {System.nanoTime()};
            while (true) {
                heap.transaction(tx -> {
                    long count = heap.getLong(list);
                    long head = heap.getRef(list + 8);
                    if (count < 200 && (head == 0 || random.nextInt(3) != 0)) {
                        long fresh = tx.allocate(node);
                        tx.putLong(fresh, ++next[0]);
                        tx.putRef(fresh + 8, head);
                        tx.putRef(list + 8, fresh);
                        tx.putLong(list, count + 1);
                    } else if (head != 0) {
                        tx.putRef(list + 8, heap.getRef(head + 8));
                        tx.putLong(list, count - 1);
                        tx.free(head);
                    }
                    if (random.nextInt(20) == 0) { // a large block: allocate and link, or unlink and free
                        long big = heap.getRef(list + 16);
                        if (big == 0) {
                            tx.putRef(list + 16, tx.allocateArray(refs, 20_000));
                        } else {
                            tx.putRef(list + 16, 0);
                            tx.free(big);
                        }
                    }
                });
            }
        });
        for (Thread thread : threads) {
            thread.join();
        }
    }
}

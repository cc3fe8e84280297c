package io.jpmem.examples.bank;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/** Child JVM of BankCrashTest: two threads transfer money until killed. Args: heap, durability, seed. */
public final class BankChild {

    private BankChild() {}

    public static void main(String[] args) throws InterruptedException {
        PersistentHeap heap = PersistentHeap.openOrCreate(Path.of(args[0]),
                HeapOptions.defaults().withDurability(Durability.valueOf(args[1])).withMaxByteSize(4L << 20));
        Bank bank = Bank.open(heap);
        System.out.println("ready sum=" + bank.sum());
        System.out.flush();
        ReentrantLock lock = new ReentrantLock();
        long seed = Long.parseLong(args[2]);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            threads[t] = Thread.ofPlatform().start(() -> {
                while (true) {
                    bank.transfer(heap, lock, random);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}

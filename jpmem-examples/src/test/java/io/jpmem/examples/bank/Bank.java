package io.jpmem.examples.bank;

import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Persistent;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/** The bank: a list of accounts whose balances always sum to {@link #TOTAL}. */
@Persistent
public class Bank {
    public static final int ACCOUNTS = 32;
    public static final long TOTAL = ACCOUNTS * 1000L;

    Account first;
    long transfers;

    /** {@return the bank of a heap, created on first use} */
    public static Bank open(PersistentHeap heap) {
        ObjectSpace space = ObjectSpace.of(heap);
        return heap.transactionResult(tx -> {
            Bank bank = space.root("bank", Bank.class);
            if (bank == null) {
                bank = new Bank();
                for (int i = ACCOUNTS - 1; i >= 0; i--) {
                    bank.first = new Account(i, 1000, bank.first);
                }
                space.setRoot("bank", bank);
            }
            return bank;
        });
    }

    Account account(int id) {
        Account a = first;
        while (a.id != id) {
            a = a.next;
        }
        return a;
    }

    /** Moves a random amount between two random accounts, in one transaction, under {@code lock}. */
    public void transfer(PersistentHeap heap, ReentrantLock lock, SplittableRandom random) {
        heap.transaction(tx -> {
            tx.lock(lock);
            Account from = account(random.nextInt(ACCOUNTS));
            Account to = account(random.nextInt(ACCOUNTS));
            long amount = random.nextLong(1, 100);
            from.balance -= amount;
            to.balance += amount;
            transfers++;
        });
    }

    /** {@return the sum of all balances} */
    public long sum() {
        long sum = 0;
        int count = 0;
        for (Account a = first; a != null; a = a.next) {
            sum += a.balance;
            count++;
        }
        if (count != ACCOUNTS) {
            throw new IllegalStateException(count + " accounts");
        }
        return sum;
    }

    public long transfers() {
        return transfers;
    }
}

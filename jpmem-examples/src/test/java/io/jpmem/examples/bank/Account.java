package io.jpmem.examples.bank;

import io.jpmem.objects.Persistent;

/** A bank account: enhanced at build time by jpmem:enhance. */
@Persistent
public class Account {
    int id;
    long balance;
    Account next;

    public Account(int id, long balance, Account next) {
        this.id = id;
        this.balance = balance;
        this.next = next;
    }
}

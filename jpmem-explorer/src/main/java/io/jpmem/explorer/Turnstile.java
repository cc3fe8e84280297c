package io.jpmem.explorer;

import java.util.SplittableRandom;

/**
 * Lets two threads run one at a time, switching at store granularity by a seeded coin: after each
 * event of the running thread, the turn may pass to the other. A thread that holds the turn but
 * blocks on a lock (so produces no event) gives the turn back after a time-out; schedules without
 * such blocking replay exactly from the seed.
 */
final class Turnstile {

    private static final long HANDOFF_TIMEOUT_MILLIS = 20;

    private final SplittableRandom random;
    private final boolean[] finished = new boolean[2];
    private int turn;
    private long lastProgress = System.nanoTime();

    Turnstile(SplittableRandom random) {
        this.random = random;
    }

    /** Called by thread {@code id} after each of its events, and once before it starts. */
    synchronized void step(int id) {
        lastProgress = System.nanoTime();
        if (turn == id && !finished[1 - id] && random.nextInt(3) == 0) {
            turn = 1 - id;
            notifyAll();
        }
        while (turn != id && !finished[1 - id]) {
            try {
                wait(HANDOFF_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (turn != id && System.nanoTime() - lastProgress > HANDOFF_TIMEOUT_MILLIS * 1_000_000) {
                turn = id; // the other thread is blocked on a lock we may hold: take the turn back
            }
        }
    }

    synchronized void finish(int id) {
        finished[id] = true;
        turn = 1 - id;
        notifyAll();
    }
}

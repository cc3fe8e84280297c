package io.jpmem.redis.command;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Undo actions for the server's volatile state (subscriptions, blocked clients) changed by the
 * commands of one heap transaction. The round executor brackets every transaction with
 * {@link #begin()} and {@link #commit()} or {@link #rollback()}: a rolled-back round then leaves
 * no subscription or blocked client behind, and its commands, run again, find the state they first
 * found. Outside a bracket changes are kept without journaling. Event-loop thread only.
 */
public final class RoundJournal {

    /** An empty journal. */
    public RoundJournal() {
    }

    private Deque<Runnable> undo;
    private boolean open;

    /** Starts journaling. */
    public void begin() {
        open = true;
        undo = null;
    }

    /** Keeps the changes made since {@link #begin()}. */
    public void commit() {
        open = false;
        undo = null;
    }

    /** Undoes the changes made since {@link #begin()}, newest first. */
    public void rollback() {
        Deque<Runnable> actions = undo;
        commit();
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }

    /** Records how to undo a change just made (nothing outside a bracket). */
    public void onRollback(Runnable action) {
        if (open) {
            if (undo == null) {
                undo = new ArrayDeque<>();
            }
            undo.push(action);
        }
    }
}

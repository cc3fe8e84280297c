package io.jpmem.redis.command;

import java.util.List;

/**
 * Told of the write commands of each committed heap transaction, in the order they ran, after the
 * commit and before any of their replies is sent: the hook for replication and command logs.
 * Never called for a transaction that rolled back (its commands run again, one transaction each,
 * and those that commit are reported then). Runs on the event-loop thread; it must not block.
 */
@FunctionalInterface
public interface WriteListener {

    /** {@code writes} committed together (never empty). */
    void committed(List<ExecutedWrite> writes);
}

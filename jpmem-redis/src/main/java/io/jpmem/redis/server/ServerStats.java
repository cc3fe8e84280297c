package io.jpmem.redis.server;

/** The counters INFO stats reports; CONFIG RESETSTAT zeroes them. Event-loop thread only. */
final class ServerStats {

    long commandsProcessed;
    long groupCommits;
    long rollbacks;

    /** CONFIG RESETSTAT. */
    void reset() {
        commandsProcessed = 0;
        groupCommits = 0;
        rollbacks = 0;
    }
}

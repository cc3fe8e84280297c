package io.jpmem.redis.command;

import java.util.List;
import java.util.Optional;

/** What commands may ask of the server. */
public interface ServerContext {

    /** {@return the password clients must AUTH with, if one is set} */
    Optional<String> requirePass();

    /** {@return the command table} */
    CommandTable commands();

    /**
     * {@return the configuration parameters CONFIG GET/SET work on; command families register their
     * own at start} A context without configuration of its own (a test harness) has none.
     */
    default ConfigRegistry configuration() {
        return new ConfigRegistry();
    }

    /** {@return the name and value of each parameter matching the glob {@code pattern}, as CONFIG GET reports them} */
    List<String[]> config(String pattern);

    /** {@return the INFO text of one section, or of all when {@code section} is empty} */
    String info(String section);

    /** CONFIG RESETSTAT: zeroes the statistics INFO reports. */
    default void resetStatistics() {
    }

    /**
     * CONFIG REWRITE: writes the parameters CONFIG SET changed into the configuration file the
     * server started with. @throws CommandError if there is none, or it cannot be written
     */
    default void rewriteConfiguration() {
        throw new CommandError("ERR The server is running without a config file");
    }

    /** Closes the heap cleanly and stops the server after this batch's replies are written. */
    void shutdown();

    /** {@return the number of databases (SELECT 0..n-1)} */
    int databases();

    /** {@return the persistent data} */
    io.jpmem.redis.data.Dataset dataset();

    /** {@return proto-max-bulk-len: the longest string a command may build} */
    long maxBulkLength();

    /** {@return SAVE and BGSAVE: the RDB file and the save in progress} */
    io.jpmem.redis.rdb.RdbSaves saves();

    /** {@return the server's replication (REPLCONF, PSYNC, SYNC, WAIT, ROLE), or null if it has none} */
    default ReplicationControl replication() {
        return null;
    }
}

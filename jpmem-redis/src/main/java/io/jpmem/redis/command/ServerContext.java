package io.jpmem.redis.command;

import java.util.List;
import java.util.Optional;

/** What commands may ask of the server. */
public interface ServerContext {

    /** {@return the password clients must AUTH with, if one is set} */
    Optional<String> requirePass();

    /** {@return the command table} */
    CommandTable commands();

    /** {@return a configuration parameter's value, as CONFIG GET reports it, by exact (lower-case) name} */
    List<String[]> config(String pattern);

    /** {@return the INFO text of one section, or of all when {@code section} is empty} */
    String info(String section);

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
}

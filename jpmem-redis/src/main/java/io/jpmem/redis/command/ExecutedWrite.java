package io.jpmem.redis.command;

import java.util.List;

/**
 * A write command that ran and changed something (it signalled at least one modified key), as
 * {@link WriteListener}s see it once its transaction committed: what replication or an append-only
 * log would send on, in its deterministic form (see {@code Propagation}: relative expiries as
 * absolute ones, SPOP as SREM...). Commands inside EXEC or a script appear one by one, between a
 * MULTI and an EXEC when there are more than one; a key deleted because its time passed appears as
 * a DEL (client 0); a blocking command served later appears as the non-blocking command that
 * served it (BLPOP as LPOP, ...).
 *
 * @param clientId the client that sent it
 * @param db the database it ran in (the client's selected one at the time)
 * @param spec the command
 * @param args its arguments, the name included
 */
public record ExecutedWrite(long clientId, int db, CommandSpec spec, List<byte[]> args) {}

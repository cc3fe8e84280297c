package io.jpmem.redis.server;

import io.jpmem.heap.HeapFullException;
import io.jpmem.redis.command.ClientState;
import io.jpmem.redis.command.ParsedCommand;
import io.jpmem.redis.command.ServerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DEL, UNLINK, FLUSHDB and FLUSHALL on a heap too full for them to run in one transaction: they
 * delete one key per transaction instead.
 *
 * <p>Deleting needs log space (undo entries for the unlinking stores, a redo entry per bitmap word
 * freed), so a delete of many keys can fail on a full heap although each key alone would commit
 * (the heap keeps a log reserve that a commit record of frees may use). Redis frees memory by
 * deleting; a server whose full heap cannot be emptied would be stuck. So when such a command,
 * retried alone, finds the heap full, {@link #run} deletes its keys one transaction each (each
 * freeing room for the next): {@code DEL k1 k2 ...} runs as {@code DEL k1}, {@code DEL k2}, ...,
 * the reply being the sum; FLUSHDB and FLUSHALL delete every key of their databases that way, then
 * run themselves on the emptied databases for their reply. Each piece is an ordinary command of
 * its own transaction: its watchers are signalled and write listeners see it (a {@code DEL key}).
 *
 * <p>The difference from one transaction: a crash in the middle leaves some of the keys deleted
 * (each piece is durable when it commits), and other clients' commands never run in between (the
 * event loop is single-threaded), so no client sees a half-done command. If even one key cannot
 * be deleted alone, the reply is Redis's OOM error, and the keys before it stay deleted.
 */
final class KeyAtATime {

    private static final Set<String> COMMANDS = Set.of("del", "unlink", "flushdb", "flushall");

    /** Runs one command in a transaction of its own; {@return its reply} */
    @FunctionalInterface
    interface Piece {
        byte[] run(ClientState client, ParsedCommand command) throws HeapFullException;
    }

    private KeyAtATime() {}

    /** {@return whether {@code command} of {@code client} can be run a key at a time} */
    static boolean applies(ClientState client, ParsedCommand command) {
        if (client.inMulti() || command.spec() == null || !COMMANDS.contains(command.name())) {
            return false;
        }
        List<byte[]> args = command.args();
        if (command.name().startsWith("flush")) { // FLUSHDB/FLUSHALL [ASYNC|SYNC]: anything else is an error reply
            return args.size() == 1 || args.size() == 2 && Set.of("ASYNC", "SYNC").contains(
                    new String(args.get(1), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT));
        }
        return args.size() >= 2;
    }

    /**
     * Runs {@code command} a key at a time.
     *
     * @return the command's reply, as one transaction would have given it, or null if a single key
     *     could not be deleted (the caller answers OOM)
     */
    static byte[] run(ClientState client, ParsedCommand command, ServerContext server, Piece piece) {
        try {
            if (command.name().startsWith("flush")) {
                int from = command.name().equals("flushall") ? 0 : client.db();
                int to = command.name().equals("flushall") ? server.dataset().databases() : from + 1;
                int selected = client.db();
                try {
                    for (int db = from; db < to; db++) {
                        client.setDb(db);
                        for (byte[] key : new ArrayList<>(server.dataset().dict(db).keySet())) {
                            piece.run(client, ParsedCommand.of(server.commands(), List.of(bytes("DEL"), key)));
                        }
                    }
                } finally {
                    client.setDb(selected);
                }
                return piece.run(client, command); // on empty databases: its reply, its watchers, its write
            }
            String name = new String(command.args().get(0), StandardCharsets.UTF_8);
            long deleted = 0;
            for (byte[] key : command.args().subList(1, command.args().size())) {
                byte[] reply = piece.run(client, ParsedCommand.of(server.commands(), List.of(bytes(name), key)));
                if (reply.length < 4 || reply[0] != ':') {
                    return reply; // an error reply (none is expected after the command's checks passed)
                }
                deleted += Long.parseLong(new String(reply, 1, reply.length - 3, StandardCharsets.US_ASCII));
            }
            return (":" + deleted + "\r\n").getBytes(StandardCharsets.US_ASCII);
        } catch (HeapFullException full) {
            return null;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

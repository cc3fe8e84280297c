package io.jpmem.redis.command;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server keeps about a connection: its id and name, the selected database, whether it
 * authenticated, the RESP version, and the MULTI queue. {@link #snapshot()} and {@link #restore}
 * undo a rolled-back batch's effect on it (see the event loop's group commit).
 */
public final class ClientState {

    private final long id;
    private final String address;
    private String name = "";
    private int db;
    private boolean authenticated;
    private int protocol = 2;
    private List<ParsedCommand> multi; // null: not in MULTI
    private boolean multiFailed; // a command was refused while queuing: EXEC aborts
    private boolean closeAfterReply;
    private boolean blocked; // waiting in a blocking command (see Blocking)
    private boolean fromMaster; // the connection to this server's master: its commands are the replication stream
    private boolean runningExec;
    private boolean runningScript; // a script is running this client's commands: they must not block // EXEC is running its queue: blocking commands must not block

    public ClientState(long id, String address, boolean authenticated) {
        this.id = id;
        this.address = address;
        this.authenticated = authenticated;
    }

    /** The part of the state a command can change, for rolling a batch back. */
    public record Snapshot(String name, int db, boolean authenticated, int protocol, List<ParsedCommand> multi,
                           boolean multiFailed, boolean closeAfterReply) {}

    public Snapshot snapshot() {
        return new Snapshot(name, db, authenticated, protocol, multi == null ? null : List.copyOf(multi), multiFailed, closeAfterReply);
    }

    public void restore(Snapshot s) {
        name = s.name();
        db = s.db();
        authenticated = s.authenticated();
        protocol = s.protocol();
        multi = s.multi() == null ? null : new ArrayList<>(s.multi());
        multiFailed = s.multiFailed();
        closeAfterReply = s.closeAfterReply();
    }

    public long id() {
        return id;
    }

    public String address() {
        return address;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int db() {
        return db;
    }

    public void setDb(int db) {
        this.db = db;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean inMulti() {
        return multi != null;
    }

    public void beginMulti() {
        multi = new ArrayList<>();
        multiFailed = false;
    }

    /** Queues a command for EXEC. */
    public void queue(ParsedCommand command) {
        multi.add(command);
    }

    public void failMulti() {
        multiFailed = true;
    }

    /** {@return the commands queued so far in MULTI (empty outside MULTI)} */
    public List<ParsedCommand> queued() {
        return multi == null ? List.of() : java.util.Collections.unmodifiableList(multi);
    }

    public boolean multiFailed() {
        return multiFailed;
    }

    /** {@return the queued commands, leaving MULTI} */
    public List<ParsedCommand> endMulti() {
        List<ParsedCommand> queued = multi;
        multi = null;
        multiFailed = false;
        return queued;
    }

    /** {@return whether this is the connection to this server's master (its commands are the replication stream)} */
    public boolean fromMaster() {
        return fromMaster;
    }

    /** Marks this client as the connection to this server's master. */
    public void markFromMaster() {
        fromMaster = true;
    }

    /** {@return whether the client waits in a blocking command: it reads no further command meanwhile} */
    public boolean blocked() {
        return blocked;
    }

    /** Set by {@link Blocking} for the blocking commands, and by replication for WAIT. */
    public void setBlocked(boolean value) {
        blocked = value;
    }

    /** {@return whether EXEC is running this client's queued commands} */
    public boolean runningExec() {
        return runningExec;
    }

    void setRunningExec(boolean value) {
        runningExec = value;
    }

    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    public void closeAfterReply(boolean value) {
        closeAfterReply = value;
    }

    /** {@return whether a script (EVAL ...) is running commands for this client} */
    public boolean runningScript() {
        return runningScript;
    }

    /** Marks that a script starts or stops running commands for this client. */
    public void setRunningScript(boolean value) {
        runningScript = value;
    }
}

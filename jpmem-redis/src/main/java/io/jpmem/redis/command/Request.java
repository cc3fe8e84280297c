package io.jpmem.redis.command;

import io.jpmem.redis.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** One command being executed: its arguments, the client that sent it, where its reply goes. */
public final class Request {

    private final List<byte[]> args;
    private final ClientState client;
    private final RespWriter reply;
    private final ServerContext server;
    private List<java.util.function.Consumer<Watches>> touches; // null: the command's key positions say what it changed

    public Request(List<byte[]> args, ClientState client, RespWriter reply, ServerContext server) {
        this.args = args;
        this.client = client;
        this.reply = reply;
        this.server = server;
    }

    /** {@return the number of arguments, the command name included} */
    public int argc() {
        return args.size();
    }

    /** {@return argument {@code i} (0 is the command name)} */
    public byte[] arg(int i) {
        return args.get(i);
    }

    /** {@return argument {@code i} as text (UTF-8)} */
    public String text(int i) {
        return new String(args.get(i), StandardCharsets.UTF_8);
    }

    /** {@return argument {@code i} upper-cased, for keywords} */
    public String keyword(int i) {
        return text(i).toUpperCase(Locale.ROOT);
    }

    /** {@return argument {@code i} as a 64-bit integer} @throws CommandError if it is not one */
    public long longArg(int i) {
        return Numbers.parseLong(args.get(i)).orElseThrow(CommandError::notInteger);
    }

    /** {@return argument {@code i} as a double} @throws CommandError if it is not one */
    public double doubleArg(int i) {
        return Numbers.parseDouble(args.get(i)).orElseThrow(CommandError::notFloat);
    }

    /** {@return argument {@code i} as a sorted-set score (no overflow to infinity, no underflow to 0)} @throws CommandError if it is not one */
    public double scoreArg(int i) {
        return Numbers.parseDoubleInRange(args.get(i)).orElseThrow(CommandError::notFloat);
    }

    public List<byte[]> args() {
        return args;
    }

    public ClientState client() {
        return client;
    }

    public RespWriter reply() {
        return reply;
    }

    public ServerContext server() {
        return server;
    }

    /**
     * Says what a write command changed for WATCH, instead of the key positions of its
     * {@link CommandSpec} (for commands whose key positions name keys they only read, or keys of
     * another database): applied by the dispatcher if the command succeeds.
     */
    public void touches(java.util.function.Consumer<Watches> touch) {
        ownTouches();
        touches.add(touch);
    }

    /** Says that this command declares what it changes for WATCH with {@link #touches} (nothing, if it does not). */
    public void ownTouches() {
        if (touches == null) {
            touches = new java.util.ArrayList<>();
        }
    }

    /** {@return the touches the command declared, or null if it declared none} */
    List<java.util.function.Consumer<Watches>> declaredTouches() {
        return touches;
    }
}

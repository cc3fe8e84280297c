package io.jpmem.redis.command;

/**
 * A command's error reply, thrown before the command changed anything: the message is the whole
 * reply after the {@code -}, starting with its code ({@code ERR}, {@code WRONGTYPE}, ...).
 */
public final class CommandError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandError(String message) {
        super(message, null, false, false);
    }

    /** {@code ERR syntax error} */
    public static CommandError syntax() {
        return new CommandError("ERR syntax error");
    }

    /** {@code WRONGTYPE Operation against a key holding the wrong kind of value} */
    public static CommandError wrongType() {
        return new CommandError("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    /** {@code ERR value is not an integer or out of range} */
    public static CommandError notInteger() {
        return new CommandError("ERR value is not an integer or out of range");
    }

    /** {@code ERR value is not a valid float} */
    public static CommandError notFloat() {
        return new CommandError("ERR value is not a valid float");
    }

    /** {@code ERR wrong number of arguments for 'name' command} */
    public static CommandError arity(String name) {
        return new CommandError("ERR wrong number of arguments for '" + name + "' command");
    }
}

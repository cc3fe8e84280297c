package io.jpmem.redis.command;

/** Every command jpmem-redis knows, in one table. */
public final class RedisCommands {

    private RedisCommands() {}

    /** Registers all command groups into {@code table}; {@code dispatcher} runs EXEC's queued commands. */
    public static void registerAll(CommandTable table, Dispatcher dispatcher) {
        ConnectionCommands.register(table, dispatcher);
        StringCommands.register(table);
        KeyCommands.register(table);
        ListCommands.register(table);
        HashCommands.register(table);
        SetCommands.register(table);
        ZSetCommands.register(table);
        ZSetRangeCommands.register(table);
        ZSetAlgebraCommands.register(table);
        DatabaseCommands.register(table);
        DumpCommands.register(table);
        PersistenceCommands.register(table);
    }
}

package io.jpmem.redis.command;

/** Every command jpmem-redis knows, in one table. */
public final class RedisCommands {

    private RedisCommands() {}

    /** Registers all command groups into {@code table}, with no configuration parameters of their own. */
    public static void registerAll(CommandTable table, Dispatcher dispatcher) {
        registerAll(table, dispatcher, new ConfigRegistry());
    }

    /**
     * Registers all command groups into {@code table}; {@code dispatcher} runs EXEC's queued
     * commands; a group with configuration parameters of its own registers them in {@code configuration}.
     */
    public static void registerAll(CommandTable table, Dispatcher dispatcher, ConfigRegistry configuration) {
        ConnectionCommands.register(table, dispatcher);
        ConfigCommands.register(table);
        StringCommands.register(table);
        BitmapCommands.register(table);
        HyperLogLogCommands.register(table);
        KeyCommands.register(table);
        ListCommands.register(table);
        HashCommands.register(table);
        SetCommands.register(table);
        ZSetCommands.register(table);
        ZSetRangeCommands.register(table);
        ZSetAlgebraCommands.register(table);
        DatabaseCommands.register(table);
        ListPositionCommand.register(table);
        MultiPopCommands.register(table);
        IntersectionCardinalityCommands.register(table);
        RandomSampleCommands.register(table);
        LcsCommand.register(table);
        SortCommand.register(table);
        DumpCommands.register(table);
        PubSubCommands.register(table);
        BlockingCommands.register(table);
        StreamCommands.register(table);
        StreamGroupCommands.register(table);
        StreamReadCommands.register(table);
        StreamInfoCommand.register(table);
        PersistenceCommands.register(table);
        ReplicationCommands.register(table);
        ScriptCommands.register(table, dispatcher, configuration); // last: it marks the commands scripts may not call
    }
}

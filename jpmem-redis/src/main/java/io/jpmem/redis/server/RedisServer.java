package io.jpmem.redis.server;

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/jpmem-redis}: a Redis-compatible server whose dataset lives in a persistent heap. */
@Command(name = "jpmem-redis", mixinStandardHelpOptions = true, version = "jpmem-redis 0.1.0 (Redis " + "7.0.15" + " semantics)",
        description = {"A Redis-compatible server whose dataset lives in a jpmem persistent heap: every write",
                "is committed before its reply leaves, and a restart serves at once, without AOF or RDB."},
        sortOptions = false)
public final class RedisServer implements Callable<Integer> {

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)", defaultValue = "6379")
    int port;

    @Option(names = "--bind", description = "address to listen on (default: ${DEFAULT-VALUE}, loopback only)",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--heap", description = "heap file, created if missing (default: ${DEFAULT-VALUE})",
            defaultValue = "data/jpmem-redis.heap")
    Path heap;

    @Option(names = "--heap-size", description = "maximum size of a new heap, e.g. 256m or 4g (default: ${DEFAULT-VALUE})",
            defaultValue = "1g")
    String heapSize;

    @Option(names = "--durability", description = "power: acknowledged writes survive power loss; process: a crash"
            + " of the process (default: ${DEFAULT-VALUE})", defaultValue = "power")
    String durability;

    @Option(names = "--requirepass", description = "password clients must AUTH with (default: none)")
    String requirePass;

    @Option(names = "--maxclients", description = "most client connections at once (default: ${DEFAULT-VALUE})",
            defaultValue = "10000")
    int maxClients;

    @Option(names = "--recovery-gc", description = "on|off: after a crash, free unreachable blocks while recovering"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "on")
    String recoveryGc;

    @Option(names = "--databases", description = "number of databases, SELECT 0..n-1 (default: ${DEFAULT-VALUE})",
            defaultValue = "16")
    int databases;

    @Option(names = "--proto-max-bulk-len", description = "longest bulk string a client may send, in bytes"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "536870912")
    long maxBulkLength;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RedisServer()).execute(args));
    }

    /** Parses and checks the options. @throws CommandLine.ParameterException naming the bad one */
    ServerOptions options(CommandLine commandLine) {
        long size = HeapOptions.parseByteSize(heapSize).orElseThrow(() -> new CommandLine.ParameterException(commandLine,
                "--heap-size: '" + heapSize + "' is not a size such as 256m or 4g"));
        Durability d = switch (durability.toLowerCase(Locale.ROOT)) {
            case "power" -> Durability.POWER;
            case "process" -> Durability.PROCESS;
            default -> throw new CommandLine.ParameterException(commandLine, "--durability: '" + durability
                    + "' is not power or process");
        };
        boolean gc = switch (recoveryGc.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new CommandLine.ParameterException(commandLine, "--recovery-gc: '" + recoveryGc + "' is not on or off");
        };
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(commandLine, "--port: " + port + " is not a TCP port");
        }
        if (maxClients < 1 || databases < 1 || databases > 1024 || maxBulkLength < 1) {
            throw new CommandLine.ParameterException(commandLine, "--maxclients, --databases (1..1024) and"
                    + " --proto-max-bulk-len must be positive");
        }
        return new ServerOptions(bind, port, heap, size, d, Optional.ofNullable(requirePass), maxClients, gc, databases,
                maxBulkLength);
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = new CommandLine(this);
        ServerOptions options = options(commandLine);
        Path parent = options.heap().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (PersistentHeap persistentHeap = PersistentHeap.openOrCreate(options.heap(), HeapOptions.defaults()
                .withDurability(options.durability()).withMaxByteSize(options.heapSize()).withRecoveryGc(options.recoveryGc()));
             EventLoop loop = new EventLoop(options, persistentHeap)) {
            System.out.println("jpmem-redis: serving " + persistentHeap.path() + " (" + persistentHeap.durability()
                    .name().toLowerCase(Locale.ROOT) + ") on " + options.bind() + ":" + loop.port() + "; "
                    + persistentHeap.recoveryReport().summary());
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(loop::stop, "jpmem-redis-stop"));
            loop.run();
        }
        System.out.println("jpmem-redis: heap closed cleanly");
        return 0;
    }
}

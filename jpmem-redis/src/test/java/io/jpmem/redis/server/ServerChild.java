package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpmem.heap.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bin/jpmem-redis} as a child JVM for the crash and signal tests: started on a free port, in PROCESS durability. */
final class ServerChild {

    private ServerChild() {
    }

    /** Starts a server on {@code heap} (created with 64 MiB if missing), {@code extra} options after the defaults. */
    static ChildJvm start(Path heap, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--heap", heap.toString(), "--heap-size", "64m",
                "--durability", "process"));
        args.addAll(List.of(extra));
        return ChildJvm.start(RedisServer.class, Map.of(), args.toArray(String[]::new));
    }

    /** {@return the port the server printed in its first line} Fails with the child's stderr if it did not start. */
    static int portOf(ChildJvm server) throws InterruptedException {
        String line = server.awaitLine(Duration.ofSeconds(60));
        assertNotNull(line, "the server printed nothing; stderr:\n" + server.stderr());
        assertTrue(line.startsWith("jpmem-redis: serving "), line + "\n" + server.stderr());
        return Integer.parseInt(line.replaceAll(".* on 127\\.0\\.0\\.1:(\\d+);.*", "$1"));
    }
}

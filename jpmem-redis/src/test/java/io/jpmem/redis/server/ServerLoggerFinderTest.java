package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The server's logger backend: who logs what, in one line each, and that the jar installs it. */
class ServerLoggerFinderTest {

    @Test
    void theJarInstallsItForEveryLoggerOfTheProcess() {
        assertInstanceOf(ServerLoggerFinder.class, System.LoggerFinder.getLoggerFinder());
    }

    @Test
    void warningsOfEveryoneAndInfoOfTheServerOnly() {
        ServerLoggerFinder finder = new ServerLoggerFinder();
        System.Logger heap = finder.getLogger("io.jpmem.heap", getClass().getModule());
        System.Logger server = finder.getLogger("io.jpmem.redis", getClass().getModule());
        assertFalse(heap.isLoggable(System.Logger.Level.INFO), "the heap's INFO line at open repeats the server's");
        assertTrue(heap.isLoggable(System.Logger.Level.WARNING));
        assertTrue(heap.isLoggable(System.Logger.Level.ERROR));
        assertTrue(server.isLoggable(System.Logger.Level.INFO));
        assertFalse(server.isLoggable(System.Logger.Level.DEBUG));
        assertFalse(server.isLoggable(System.Logger.Level.OFF));

        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            heap.log(System.Logger.Level.INFO, "dropped");
            heap.log(System.Logger.Level.ERROR, "disk on fire");
            server.log(System.Logger.Level.INFO, () -> "serving");
            server.log(System.Logger.Level.WARNING, "{0} of {1}", 3, 4);
            server.log(System.Logger.Level.ERROR, "command failed: get", new IllegalStateException("boom"));
        } finally {
            System.setErr(saved);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals("jpmem-redis: ERROR io.jpmem.heap: disk on fire", lines[0]);
        assertEquals("jpmem-redis: INFO io.jpmem.redis: serving", lines[1]);
        assertEquals("jpmem-redis: WARNING io.jpmem.redis: 3 of 4", lines[2]);
        assertEquals("jpmem-redis: ERROR io.jpmem.redis: command failed: get", lines[3]);
        assertEquals("java.lang.IllegalStateException: boom", lines[4]);
    }
}

package io.jpmem.redis.server;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The server's {@link System.Logger} backend, a {@link System.LoggerFinder} service of the
 * jpmem-redis jar ({@code META-INF/services}, so in effect when the jar runs on the class path as
 * {@code bin/jpmem-redis} runs it; the module does not declare it, so that other programs on a
 * runtime image holding the module keep the JDK's backend): every message of level {@code WARNING} or above, and the server's
 * own ({@code io.jpmem.redis}) from {@code INFO}, as one line on standard error:
 * {@code jpmem-redis: ERROR io.jpmem.redis: command failed: ...}, then a stack trace if there is
 * one. Everything below is dropped; the heap's INFO line at open repeats what the server prints.
 *
 * <p>Why not java.util.logging, the JDK's default backend: it is initialized (and its dates
 * formatted) on the first message, which cost ~15-40 ms of every start, most of it for an INFO line
 * nobody needs; a restart is measured in those milliseconds (BENCHMARKS.md).
 */
public final class ServerLoggerFinder extends System.LoggerFinder {

    /** Loaded by {@link java.util.ServiceLoader}. */
    public ServerLoggerFinder() {}

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new LineLogger(name, name.startsWith("io.jpmem.redis") ? System.Logger.Level.INFO : System.Logger.Level.WARNING);
    }

    /** One line per message on standard error, from {@code threshold} up. */
    private record LineLogger(String name, System.Logger.Level threshold) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                write(level, localized(bundle, message), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                write(level, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            if (isLoggable(level)) {
                write(level, message.get(), null);
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
        }

        private void write(Level level, String message, Throwable thrown) {
            PrintStream err = System.err;
            synchronized (err) {
                err.println("jpmem-redis: " + level.getName() + " " + name + ": " + message);
                if (thrown != null) {
                    thrown.printStackTrace(err);
                }
            }
        }
    }
}

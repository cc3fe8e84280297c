package io.jpmem.heap.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from the test class path, with its stdout readable line by line.
 * Used by the crash tests (killed with SIGKILL through {@link #kill()}) and the lock tests.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread out;
    private final Thread err;

    private ChildJvm(Process process) {
        this.process = process;
        out = Thread.ofPlatform().daemon().start(() -> pump(process.inputReader(StandardCharsets.UTF_8), lines, null));
        err = Thread.ofPlatform().daemon().start(() -> pump(process.errorReader(StandardCharsets.UTF_8), null, stderr));
        out.setName("child-stdout");
        err.setName("child-stderr");
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM of the running JDK; leading {@code -D} and {@code -javaagent:} args go to the JVM. */
    public static ChildJvm start(Class<?> mainClass, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        int first = 0;
        while (first < args.length && (args[first].startsWith("-D") || args[first].startsWith("-javaagent:"))) {
            command.add(args[first++]); // leading -D and -javaagent: arguments are JVM options
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args).subList(first, args.length));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return new ChildJvm(builder.start());
    }

    private static void pump(BufferedReader reader, BlockingQueue<String> queue, StringBuilder sink) {
        try (reader) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (queue != null) {
                    queue.add(line);
                } else {
                    synchronized (sink) {
                        sink.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // the child died; its output ends here
        }
    }

    /** {@return the next stdout line, waiting at most {@code timeout}} @throws AssertionError on time-out */
    public String awaitLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("child printed nothing for " + timeout + "; alive=" + process.isAlive()
                    + "; stderr:\n" + stderr());
        }
        return line;
    }

    /** Waits for a line equal to {@code expected}, skipping others. */
    public void awaitLine(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = awaitLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line.equals(expected)) {
                return;
            }
        }
    }

    /** {@return the stdout lines printed so far and not yet taken} */
    public List<String> drainLines() {
        List<String> taken = new ArrayList<>();
        lines.drainTo(taken);
        return taken;
    }

    /** {@return what the child printed on stderr so far} */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /**
     * Sends the child SIGTERM (an orderly shutdown: its shutdown hooks run); does not wait. Through the
     * process handle: {@code Process.destroy()} also closes the pipes, losing what the hooks print.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Kills the child with SIGKILL and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** {@return the exit code, waiting at most {@code timeout}} Everything the child printed has been read by then. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        out.join(Duration.ofSeconds(10));
        err.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly(); // SIGKILL, then wait until it is gone (its heap file lock with it)
            boolean interrupted = false;
            while (process.isAlive()) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child VM of the JDK under test (the jpmem runtime image): its java, the test class path. */
public final class Child {

    /** What a finished child printed. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The stderr lines that are not the heap's INFO log (JUL prints two lines per record). */
        public List<String> errorLines() {
            List<String> lines = new ArrayList<>();
            String[] all = stderr.split("\n");
            for (int i = 0; i < all.length; i++) {
                if (all[i].startsWith("INFO: ") || all[i].isBlank() || (i + 1 < all.length && all[i + 1].startsWith("INFO: "))) {
                    continue;
                }
                lines.add(all[i]);
            }
            return lines;
        }
    }

    private Child() {}

    /** The command: the image's java, then {@code jvmOptions}, the test class path, the main class and its arguments. */
    public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("test.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to its end (at most two minutes). */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Small outputs: read after exit is safe; read both fully.
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Result result = new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
        System.out.println("$ " + String.join(" ", command) + "\n-> exit " + result.exitCode()
                + "\nstdout:\n" + result.stdout() + "stderr:\n" + result.stderr());
        return result;
    }

    /** Fails unless {@code condition}. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}

package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares jpmem-redis with Debian's redis-server by difference: the same commands, in the same order,
 * on one connection to each, must get byte-equal raw replies. A test builds a script (by hand or from a
 * seeded generator, whose seed it prints), runs it through {@link #run}, and {@link #assertSame} fails
 * with every differing command and both replies.
 */
final class Differential {

    /** One command whose replies differed. */
    record Difference(int index, List<String> command, String ours, String theirs) {
        @Override
        public String toString() {
            return "#" + index + " " + String.join(" ", command) + "\n  jpmem: " + ours.replace("\r\n", "\\r\\n")
                    + "\n  redis: " + theirs.replace("\r\n", "\\r\\n");
        }
    }

    private Differential() {
    }

    /** Runs {@code script} on both connections, one command at a time; {@return the commands whose replies differed} */
    static List<Difference> run(TestServer.Client ours, TestServer.Client theirs, List<List<String>> script)
            throws IOException {
        List<Difference> differences = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            String[] args = script.get(i).toArray(String[]::new);
            String a = ours.call(args);
            String b = theirs.call(args);
            if (!a.equals(b)) {
                differences.add(new Difference(i, script.get(i), a, b));
            }
        }
        return differences;
    }

    /** Runs {@code script} on both and fails, naming {@code what} and listing every difference, if any reply differs. */
    static void assertSame(String what, TestServer.Client ours, TestServer.Client theirs, List<List<String>> script)
            throws IOException {
        List<Difference> differences = run(ours, theirs, script);
        if (!differences.isEmpty()) {
            StringBuilder message = new StringBuilder(what).append(": ").append(differences.size())
                    .append(" of ").append(script.size()).append(" replies differ from redis-server");
            differences.stream().limit(40).forEach(d -> message.append('\n').append(d));
            fail(message.toString());
        }
    }

    /** {@return a script parsed from lines of space-separated words (no quoting; blank lines skipped)} */
    static List<List<String>> script(String... lines) {
        List<List<String>> script = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                script.add(List.of(line.trim().split(" +")));
            }
        }
        return script;
    }
}

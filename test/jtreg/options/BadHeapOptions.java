/*
 * @test
 * @summary each bad value of the -Djpmem.heap options stops the VM with one line naming the option, and changes no file
 * @library /lib
 * @build Child Chain
 * @run main/othervm BadHeapOptions
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

public class BadHeapOptions {

    public static void main(String[] args) throws Exception {
        Path notAHeap = Path.of("not-a-heap.txt").toAbsolutePath();
        Files.writeString(notAHeap, "these are notes, not a persistent heap\n".repeat(200));
        String before = sha256(notAHeap);
        Path fine = Path.of("fine.heap").toAbsolutePath();

        refused(List.of("-Djpmem.heap=/proc/jpmem-test.heap"), "-Djpmem.heap=/proc/jpmem-test.heap: directory /proc is not writable");
        refused(List.of("-Djpmem.heap=/no/such/dir/x.heap"), "-Djpmem.heap=/no/such/dir/x.heap: directory /no/such/dir does not exist");
        refused(List.of("-Djpmem.heap=" + notAHeap), "-Djpmem.heap=" + notAHeap + ": cannot open heap " + notAHeap + ": not a jpmem heap");
        refused(List.of("-Djpmem.heap=" + fine, "-Djpmem.heap.size=1k"), "-Djpmem.heap.size=1k: maximum heap size 1024 is outside");
        refused(List.of("-Djpmem.heap=" + fine, "-Djpmem.heap.size=lots"), "-Djpmem.heap.size=lots: not a size such as 64m or 1g");
        refused(List.of("-Djpmem.heap=" + fine, "-Djpmem.heap.durability=maybe"),
                "-Djpmem.heap.durability=maybe: not a durability (power or process)");

        Child.check(before.equals(sha256(notAHeap)), "the file that is not a heap was left unchanged");
        Child.check(!Files.exists(fine), "no heap was created for a refused option");
    }

    private static void refused(List<String> options, String expectedStart) throws Exception {
        Child.Result result = Child.run(Child.command(options, "Chain", "verify"));
        Child.check(result.exitCode() == 1, "exit code 1, was " + result.exitCode());
        Child.check(!result.stdout().contains("links="), "main did not run");
        List<String> lines = result.errorLines();
        Child.check(lines.size() == 1, "one line on stderr, got " + lines);
        Child.check(lines.get(0).startsWith("jpmem: " + expectedStart), "'" + lines.get(0) + "' starts with 'jpmem: " + expectedStart + "'");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

/*
 * @test
 * @summary -Djpmem.heap creates the default heap at first use, closes it at exit, and reopens it with its data
 * @library /lib
 * @build Child Chain
 * @run main/othervm CreateAndReopen
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class CreateAndReopen {
    public static void main(String[] args) throws Exception {
        Path heap = Path.of("create-reopen.heap").toAbsolutePath();
        Files.deleteIfExists(heap);
        List<String> options = List.of("-Djpmem.heap=" + heap, "-Djpmem.heap.size=4m", "-Djpmem.heap.durability=process");
        Child.Result first = Child.run(Child.command(options, "Chain", "add", "3"));
        Child.check(first.exitCode() == 0 && first.stdout().contains("links=3"), "first run adds 3 links");
        Child.check(Files.size(heap) > 0, "the heap file exists");
        Child.check(first.stderr().contains("durability PROCESS") && first.stderr().contains("max 4 MiB"),
                "the size and durability options were applied");
        Child.Result second = Child.run(Child.command(options, "Chain", "add", "2"));
        Child.check(second.exitCode() == 0 && second.stdout().contains("links=5"), "the second run found the 3 links");
        Child.check(second.stderr().contains("closed cleanly last time"), "the first run closed the heap at exit");
        Child.Result verify = Child.run(Child.command(options, "Chain", "verify"));
        Child.check(verify.stdout().contains("links=5 consistent"), "5 consistent links");
    }
}

/*
 * @test
 * @summary a child VM adding to the default heap is killed with SIGKILL; the next open recovers a consistent chain
 * @library /lib
 * @build Child Chain
 * @run main/othervm CrashRecovery
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

public class CrashRecovery {
    public static void main(String[] args) throws Exception {
        Path heap = Path.of("crash.heap").toAbsolutePath();
        Files.deleteIfExists(heap);
        List<String> options = List.of("-Djpmem.heap=" + heap, "-Djpmem.heap.size=16m");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("seed=" + seed);
        long previous = 0;
        for (int kill = 0; kill < 5; kill++) {
            Process child = new ProcessBuilder(Child.command(options, "Chain", "add", "1000000"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            Child.check("ready".equals(out.readLine()), "the child started adding");
            Thread.sleep(50 + random.nextInt(400));
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor();
            Child.check(child.exitValue() == 137, "killed by SIGKILL, exit " + child.exitValue());
            Child.Result verify = Child.run(Child.command(options, "Chain", "verify"));
            Child.check(verify.exitCode() == 0 && verify.stdout().contains(" consistent"), "consistent after kill " + kill);
            Child.check(verify.stderr().contains("NOT closed cleanly last time"),
                    "the open after the kill logged its recovery");
            long links = Long.parseLong(verify.stdout().replaceAll("(?s).*links=(\\d+) consistent.*", "$1"));
            Child.check(links > previous, "committed links survive and the chain grew: " + previous + " -> " + links);
            previous = links;
        }
    }
}

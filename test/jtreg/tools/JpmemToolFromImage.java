/*
 * @test
 * @summary the image's bin/jpmem checks and describes a heap, and refuses a damaged one without changing it
 * @library /lib
 * @build Child Chain
 * @run main/othervm JpmemToolFromImage
 */

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

public class JpmemToolFromImage {
    public static void main(String[] args) throws Exception {
        String jpmem = Path.of(System.getProperty("java.home"), "bin", "jpmem").toString();
        Child.check(Files.isExecutable(Path.of(jpmem)), "the image has bin/jpmem");
        Path heap = Path.of("tool.heap").toAbsolutePath();
        Files.deleteIfExists(heap);
        Child.check(Child.run(Child.command(List.of("-Djpmem.heap=" + heap, "-Djpmem.heap.size=1m"), "Chain", "add", "4"))
                .exitCode() == 0, "made a heap");

        Child.Result check = Child.run(List.of(jpmem, "check", heap.toString()));
        Child.check(check.exitCode() == 0 && check.stdout().contains("consistent"), "jpmem check passes");
        Child.Result info = Child.run(List.of(jpmem, "info", heap.toString()));
        Child.check(info.exitCode() == 0 && info.stdout().contains("chain"), "jpmem info lists the root");

        Path damaged = Path.of("damaged.heap").toAbsolutePath();
        Files.copy(heap, damaged);
        try (FileChannel channel = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {'X', 'X', 'X', 'X'}), 0); // breaks the magic of the first header copy
            channel.write(ByteBuffer.wrap(new byte[] {'X', 'X', 'X', 'X'}), 4096); // and of the second
        }
        byte[] before = Files.readAllBytes(damaged);
        Child.Result refused = Child.run(List.of(jpmem, "check", damaged.toString()));
        Child.check(refused.exitCode() != 0, "jpmem check refuses a damaged heap");
        Child.check(java.util.Arrays.equals(before, Files.readAllBytes(damaged)), "and leaves it unchanged");
    }
}

package io.jpmem.tools;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.FieldLayout;
import io.jpmem.heap.HeapOpenException;
import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.HeapType;
import io.jpmem.heap.Transaction;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.heap.TypeLayout;
import io.jpmem.persist.Durability;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jpmem demo}: creates or reopens a heap and shows what survived from the previous run.
 *
 * <p>It keeps a small run log in one persistent block, found through the root
 * {@value #ROOT}, and updates it in a failure-atomic transaction: kill it at any moment (or pass
 * {@code --halt}) and the next run finds the previous record or the new one, whole, never a mix.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create or reopen a heap and show what survived from the previous run.",
                "Each run records its number, time and a message in one transaction; run it twice to see them persist.",
                "--halt stops the JVM without closing the heap, as a crash would; the next run reports the recovery."})
final class DemoCommand implements Callable<Integer> {

    static final Path DEFAULT_HEAP = Path.of("data", "demo.heap");
    static final String ROOT = "demo.runlog";
    static final TypeLayout RUN_LOG = TypeLayout.ofRecord("jpmem.demo.RunLog", RunLogFormat.BYTES,
            FieldLayout.of("runs", FieldKind.LONG, RunLogFormat.RUNS),
            FieldLayout.of("timeMillis", FieldKind.LONG, RunLogFormat.TIME),
            FieldLayout.of("messageLength", FieldKind.INT, RunLogFormat.MESSAGE_LENGTH));

    @Parameters(paramLabel = "HEAP", arity = "0..1", description = "the heap file (default: ${DEFAULT-VALUE})",
            defaultValue = "data/demo.heap")
    Path heapPath = DEFAULT_HEAP;

    @Option(names = "--durability", description = "power or process (default: ${DEFAULT-VALUE})", defaultValue = "power",
            converter = DurabilityConverter.class)
    Durability durability = Durability.POWER;

    @Option(names = "--max-size", description = "maximum size when creating, e.g. 64m or 1g (default: ${DEFAULT-VALUE})",
            defaultValue = "64m", converter = ByteSizeConverter.class)
    long maxByteSize = 64L << 20;

    @Option(names = {"-m", "--message"}, description = "the message this run leaves for the next one")
    String message;

    @Option(names = "--halt", description = "stop the JVM without closing the heap (a simulated crash)")
    boolean halt;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JpmemCli.showOpenLogLine();
        boolean existed = Files.exists(heapPath);
        PersistentHeap heap;
        try {
            heap = PersistentHeap.openOrCreate(heapPath,
                    HeapOptions.defaults().withDurability(durability).withMaxByteSize(maxByteSize));
        } catch (HeapOpenException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("jpmem demo: " + e.getMessage());
            return 2;
        }
        try {
            out.printf("%s heap %s (max %s, durability %s via %s)%n", existed ? "Reopened" : "Created",
                    heap.path(), PersistentHeap.formatBytes(heap.maxByteSize()), heap.durability(),
                    heap.flushMechanism().label());
            if (existed) {
                out.println(heap.wasClosedCleanly() ? "The previous run closed it cleanly."
                        : "The previous run did NOT close it (crash or --halt): " + heap.recoveryReport().summary());
            }
            HeapType type = heap.types().register(RUN_LOG);
            OptionalLong current = heap.roots().get(ROOT);
            long runs = 0;
            if (current.isPresent()) {
                RunLogFormat previous = RunLogFormat.read(heap, current.getAsLong());
                runs = previous.runs();
                out.printf("Survived: run #%d at %s left the message \"%s\"%n", previous.runs(),
                        Instant.ofEpochMilli(previous.timeMillis()), previous.message());
            } else {
                out.println("Nothing survived yet: this is the first run.");
            }
            String text = message != null ? message : "hello from run #" + (runs + 1);
            RunLogFormat next = new RunLogFormat(runs + 1, System.currentTimeMillis(), text);
            heap.transaction(tx -> {
                long log = current.isPresent() ? current.getAsLong() : tx.allocate(type);
                next.write(tx, log);
                if (current.isEmpty()) {
                    heap.roots().create(ROOT, log);
                }
            });
            out.printf("Recorded run #%d with the message \"%s\". Run it again to see it survive;%n", runs + 1,
                    RunLogFormat.truncate(text));
            out.printf("inspect with: bin/jpmem info %s%n", heapPath);
            out.flush();
            if (halt) {
                out.println("Halting without closing the heap.");
                out.flush();
                Runtime.getRuntime().halt(3);
            }
        } finally {
            heap.close();
        }
        return 0;
    }

    /**
     * A run-log record: runs (long @0), time (long @8), message length (int @16), message UTF-8 @20.
     */
    record RunLogFormat(long runs, long timeMillis, String message) {
        static final int RUNS = 0;
        static final int TIME = 8;
        static final int MESSAGE_LENGTH = 16;
        static final int MESSAGE = 20;
        static final int BYTES = 256;
        static final int MESSAGE_MAX = BYTES - MESSAGE;

        static String truncate(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            return utf8.length <= MESSAGE_MAX ? text : new String(utf8, 0, MESSAGE_MAX, StandardCharsets.UTF_8);
        }

        static RunLogFormat read(PersistentHeap heap, long at) {
            int length = Math.min(MESSAGE_MAX, Math.max(0, heap.getInt(at + MESSAGE_LENGTH)));
            byte[] utf8 = new byte[length];
            heap.getBytes(at + MESSAGE, utf8, 0, length);
            return new RunLogFormat(heap.getLong(at + RUNS), heap.getLong(at + TIME), new String(utf8, StandardCharsets.UTF_8));
        }

        void write(Transaction tx, long at) {
            byte[] utf8 = truncate(message).getBytes(StandardCharsets.UTF_8);
            tx.putLong(at + RUNS, runs);
            tx.putLong(at + TIME, timeMillis);
            tx.putInt(at + MESSAGE_LENGTH, utf8.length);
            tx.putBytes(at + MESSAGE, utf8, 0, utf8.length);
        }
    }
}

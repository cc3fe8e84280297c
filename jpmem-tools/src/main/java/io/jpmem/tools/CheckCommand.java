package io.jpmem.tools;

import io.jpmem.heap.HeapCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jpmem check HEAP}. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a heap's consistency without writing to it.",
                "A heap that was not closed cleanly is checked as recovery would leave it: recovery runs on a "
                        + "private copy-on-write mapping, so the file is never modified.",
                "Exit code 0: consistent. 1: problems, listed. 2: not a usable heap (not a heap, truncated, "
                        + "newer format, checksum mismatch, open read-write elsewhere), with the reason."})
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "HEAP", description = "the heap file")
    Path heapPath;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HeapCheck.Report report = HeapCheck.run(heapPath);
        for (String note : report.notes()) {
            out.println("note: " + note);
        }
        switch (report.status()) {
            case CONSISTENT -> out.println("ok: " + heapPath + " is consistent");
            case INCONSISTENT -> {
                out.println("problems: " + heapPath + " has " + report.problems().size() + " problem(s):");
                report.problems().forEach(p -> out.println("  - " + p));
            }
            case UNUSABLE -> out.println("unusable: " + String.join("; ", report.problems()));
        }
        out.flush();
        return report.status().exitCode();
    }
}

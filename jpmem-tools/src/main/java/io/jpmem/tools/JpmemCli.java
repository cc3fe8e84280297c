package io.jpmem.tools;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/jpmem}: inspect, check and try out persistent heaps.
 *
 * <p>Exit codes: 0 success; for {@code check}, 1 when the heap has problems and 2 when the file is
 * not a usable heap; 2 for a usage error.
 */
@Command(name = "jpmem", mixinStandardHelpOptions = true, versionProvider = JpmemCli.Version.class,
        description = "Inspect, check and try out jpmem persistent heaps.%n"
                + "info and check never write to the heap file; gc frees unreachable blocks.",
        subcommands = {InfoCommand.class, CheckCommand.class, GcCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (check: the heap is consistent)", "1:check: the heap has problems (listed)",
                "2:the file is not a usable heap, or bad usage"})
public final class JpmemCli {

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        configureLogging();
        System.exit(commandLine().execute(args));
    }

    /** {@return the command line, ready to execute; tests use it in-process} */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new JpmemCli());
        commandLine.setExitCodeExceptionMapper(e -> 2);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(2);
        return commandLine;
    }

    /** One line per log record on stderr; the heap's open line shows for the demo only. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%6$s%n");
            Logger.getLogger("io.jpmem").setLevel(Level.WARNING);
        }
    }

    static void showOpenLogLine() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            Logger.getLogger("io.jpmem").setLevel(Level.INFO);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = JpmemCli.class.getPackage().getImplementationVersion();
            return new String[] {"jpmem " + (version == null ? "(development build)" : version)
                    + " on Java " + Runtime.version()};
        }
    }
}

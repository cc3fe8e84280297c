/** The {@code jpmem} command-line tool: info, check, gc and the demo. */
module io.jpmem.tools {
    requires io.jpmem.heap;
    requires info.picocli;
    requires java.logging;

    opens io.jpmem.tools to info.picocli;
}

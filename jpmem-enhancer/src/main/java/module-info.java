/**
 * The {@code @Persistent} enhancer on {@code java.lang.classfile}: the load-time agent, the
 * enhancing system class loader of the jpmem runtime image, and the build-time command the Maven
 * goal runs.
 */
module io.jpmem.enhancer {
    requires transitive io.jpmem.objects;
    requires transitive java.instrument; // EnhancerAgent.premain names Instrumentation

    exports io.jpmem.enhancer;
}

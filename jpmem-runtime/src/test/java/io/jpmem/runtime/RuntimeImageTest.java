package io.jpmem.runtime;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Builds the runtime image with bin/jpmem-build-runtime and checks what it holds. */
class RuntimeImageTest {

    private static final Path ROOT = Path.of(System.getProperty("jpmem.root"));
    private static final Path IMAGE = Path.of(System.getProperty("jpmem.image"));

    private record Run(int exitCode, String output) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished: " + command);
        return new Run(process.exitValue(), output);
    }

    @BeforeAll
    static void buildImage() throws Exception {
        Run build = run(List.of("bash", ROOT.resolve("bin/jpmem-build-runtime").toString(), "--output", IMAGE.toString()));
        assertEquals(0, build.exitCode(), build.output());
    }

    @Test
    void theImageHoldsTheJpmemModulesAndWhatTheyRequireAndNoMore() throws Exception {
        Run modules = run(List.of(IMAGE.resolve("bin/java").toString(), "--list-modules"));
        assertEquals(0, modules.exitCode(), modules.output());
        List<String> names = modules.output().lines().map(l -> l.replaceAll("@.*", "")).sorted().toList();
        assertEquals(List.of("info.picocli", "io.jpmem.collections", "io.jpmem.enhancer", "io.jpmem.heap", "io.jpmem.objects",
                "io.jpmem.redis", "io.jpmem.tools", "java.base", "java.instrument", "java.logging", "jdk.nio.mapmode"), names);
    }

    @Test
    void theImageHasTheJpmemLaunchers() throws Exception {
        for (String launcher : List.of("jpmem", "jpmem-redis")) {
            Path path = IMAGE.resolve("bin").resolve(launcher);
            assertTrue(Files.isExecutable(path), "bin/" + launcher);
            Run help = run(List.of(path.toString(), "--help"));
            assertEquals(0, help.exitCode(), help.output());
            assertTrue(help.output().contains("Usage: " + launcher), help.output());
        }
    }

    @Test
    void theImagesJavaEnhancesAtLoadTimeThroughItsSystemClassLoader() throws Exception {
        Run settings = run(List.of(IMAGE.resolve("bin/java").toString(), "-XshowSettings:properties", "-version"));
        assertEquals(0, settings.exitCode(), settings.output());
        assertTrue(settings.output().contains("java.system.class.loader = io.jpmem.enhancer.EnhancingSystemClassLoader"),
                settings.output());
    }
}

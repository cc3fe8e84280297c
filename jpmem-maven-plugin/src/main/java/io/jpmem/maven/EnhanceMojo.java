package io.jpmem.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.toolchain.Toolchain;
import org.apache.maven.toolchain.ToolchainManager;

/**
 * Enhances the {@code @Persistent} classes of a directory of compiled classes, in place, and
 * rewrites their field accesses in every class there. Runs the enhancer in a JDK 25 process: the
 * build's JDK toolchain if one is selected (jpmem's parent POM selects one), else the JDK running
 * Maven. Fails the build, naming class and field, when a class cannot be enhanced.
 */
@Mojo(name = "enhance", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
public class EnhanceMojo extends AbstractMojo {

    /** The directory of compiled classes to enhance. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File classesDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    private List<Artifact> pluginArtifacts;

    @SuppressWarnings("deprecation") // Maven 3's injection of a core component; @Inject needs the Sisu index
    @org.apache.maven.plugins.annotations.Component
    private ToolchainManager toolchains;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!classesDirectory.isDirectory()) {
            getLog().info("jpmem enhance: no classes in " + classesDirectory);
            return;
        }
        String java = javaExecutable();
        String enhancerClasspath = pluginArtifacts.stream().map(a -> a.getFile().getAbsolutePath())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> projectClasspath = new ArrayList<>();
        try {
            projectClasspath.addAll(project.getTestClasspathElements());
        } catch (org.apache.maven.artifact.DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("cannot resolve the project's class path", e);
        }
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", enhancerClasspath,
                "io.jpmem.enhancer.EnhanceMain", classesDirectory.getAbsolutePath(),
                String.join(File.pathSeparator, projectClasspath));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            int code = process.waitFor();
            for (String line : output.split("\n")) {
                if (!line.isBlank()) {
                    if (code == 0) {
                        getLog().info(line);
                    } else {
                        getLog().error(line);
                    }
                }
            }
            if (code != 0) {
                throw new MojoFailureException("jpmem enhance failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot run " + java, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted", e);
        }
    }

    private String javaExecutable() {
        Toolchain jdk = toolchains == null ? null : toolchains.getToolchainFromBuildContext("jdk", session);
        if (jdk != null) {
            String found = jdk.findTool("java");
            if (found != null) {
                return found;
            }
        }
        Path own = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(own) ? own.toString() : "java";
    }
}

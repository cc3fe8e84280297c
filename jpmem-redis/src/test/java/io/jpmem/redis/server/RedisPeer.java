package io.jpmem.redis.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server} (7.0), started on a free loopback port with no persistence, as the
 * reference for differential tests: the same commands go to it and to jpmem-redis, and the raw replies
 * must be equal. {@code .ci/run} installs it; a machine without it fails the test with a message that
 * says what to install (a differential test that silently skips proves nothing).
 */
final class RedisPeer implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} with its data directory in {@code dir} and the given extra
     * {@code --option value} arguments.
     *
     * @throws IllegalStateException if no redis-server is installed, or it does not answer PING in 10 s
     */
    static RedisPeer start(Path dir, String... extraArgs) throws IOException, InterruptedException {
        Path binary = find();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--loglevel", "warning"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-server.log").toFile()).start();
        RedisPeer peer = new RedisPeer(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (TestServer.Client client = peer.client()) {
                if (client.call("PING").equals("+PONG\r\n")) {
                    return peer;
                }
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    peer.close();
                    throw new IllegalStateException("redis-server did not start; its log: "
                            + Files.readString(dir.resolve("redis-server.log")), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (Path candidate : List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"))) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("differential tests need Debian's redis-server 7.0 on PATH "
                + "(apt-get install redis-server; .ci/run installs it)");
    }

    /** {@return the port redis-server listens on, on 127.0.0.1} */
    int port() {
        return port;
    }

    /** {@return a new raw RESP client of this redis-server} */
    TestServer.Client client() throws IOException {
        return new TestServer.Client(new Socket("127.0.0.1", port));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package io.jpmem.redis.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/jpmem-redis}'s JDK AOT cache (JEP 483 and 514). The build runs
 * this class once with {@code -XX:AOTCacheOutput=target/jpmem-redis.aot}: it starts the server as
 * the launcher does, on a new heap in a temporary directory, sends it a mix of commands over a
 * socket, shuts it down, then does the same again on the now existing heap (the restart path). The
 * JVM then writes the classes it loaded and linked into the cache, which later starts map instead of
 * loading and linking them again: about half of the time from process start to the first reply,
 * which is most of a restart (docs/redis.md, "Restart").
 *
 * <p>Not for users: it only exercises the server. It exits with status 1 if a run fails.
 */
public final class AotTraining {

    private AotTraining() {}

    private static final List<List<String>> COMMANDS = List.of(
            List.of("PING"), List.of("SET", "k", "v"), List.of("SET", "k", "v2", "EX", "100"), List.of("GET", "k"),
            List.of("INCR", "n"), List.of("MSET", "a", "1", "b", "2"), List.of("MGET", "a", "b"),
            List.of("LPUSH", "l", "x", "y"), List.of("RPOP", "l"), List.of("LRANGE", "l", "0", "-1"),
            List.of("HSET", "h", "f", "1"), List.of("HGETALL", "h"), List.of("SADD", "s", "m"), List.of("SMEMBERS", "s"),
            List.of("ZADD", "z", "1", "m"), List.of("ZRANGE", "z", "0", "-1", "WITHSCORES"), List.of("EXPIRE", "a", "100"),
            List.of("TTL", "a"), List.of("MULTI"), List.of("INCR", "n"), List.of("EXEC"), List.of("SCAN", "0"),
            List.of("DEL", "a", "b"), List.of("INFO"), List.of("DBSIZE"), List.of("SHUTDOWN"));

    /** Runs the training; the arguments are ignored. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jpmem-redis-aot-training");
        try {
            for (int run = 0; run < 2; run++) { // a new heap, then the same heap reopened
                serveOnce(dir.resolve("training.heap"));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void serveOnce(Path heap) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String[] serverArgs = {"--port", String.valueOf(port), "--heap", heap.toString(), "--heap-size", "64m",
            "--durability", "process"};
        int[] exit = {-1};
        Thread server = new Thread(() -> exit[0] = RedisServer.run(serverArgs), "training-server");
        server.start();
        byte[] replies = talk(port);
        server.join(30_000);
        if (exit[0] != 0 || replies.length == 0) {
            System.err.println("AotTraining: the server run failed (exit " + exit[0] + ")");
            System.exit(1);
        }
    }

    /** Sends every command in one pipeline (the last is SHUTDOWN) and reads until the server closes. */
    private static byte[] talk(int port) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                for (List<String> command : COMMANDS) {
                    StringBuilder resp = new StringBuilder().append('*').append(command.size()).append("\r\n");
                    for (String arg : command) {
                        resp.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
                    }
                    out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                return all.toByteArray();
            } catch (IOException notYetListening) {
                if (attempt == 300) {
                    throw notYetListening;
                }
                Thread.sleep(10);
            }
        }
    }
}

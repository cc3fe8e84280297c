package io.jpmem.redis.server;

import io.jpmem.redis.command.ConfigParameter;
import io.jpmem.redis.command.ConfigRegistry;
import io.jpmem.redis.protocol.InlineSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Redis-style configuration file: one directive per line ({@code name value}, quoted as
 * redis-server's {@code sdssplitargs} quotes), {@code #} comments and blank lines. Reading turns
 * it into command-line options; CONFIG REWRITE writes the current values of the parameters CONFIG
 * SET may change back into it, keeping every other line (and replacing the file atomically).
 */
final class ConfigFile {

    private ConfigFile() {}

    /** One directive: its line number, lower-case name and arguments. */
    record Directive(int line, String name, List<String> args) {}

    /** {@return the directives of {@code file}} @throws ServerCommandLine.UsageException for unbalanced quotes or an unreadable file */
    static List<Directive> read(Path file) throws ServerCommandLine.UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServerCommandLine.UsageException("cannot read the config file " + file + ": " + e.getMessage());
        }
        List<Directive> directives = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<byte[]> words = InlineSplitter.split(line);
            if (words == null) {
                throw new ServerCommandLine.UsageException(file + ", line " + (i + 1) + ": unbalanced quotes in '" + line + "'");
            }
            List<String> args = new ArrayList<>();
            for (int w = 1; w < words.size(); w++) {
                args.add(new String(words.get(w), StandardCharsets.ISO_8859_1));
            }
            directives.add(new Directive(i + 1, new String(words.get(0), StandardCharsets.ISO_8859_1)
                    .toLowerCase(Locale.ROOT), args));
        }
        return directives;
    }

    /** {@return {@code value} quoted for a config file if it needs it (empty, spaces, quotes, backslashes)} */
    static String quote(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '\\')) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * CONFIG REWRITE: each line setting a parameter CONFIG SET may change gets its current value;
     * such parameters the file does not set are appended; every other line stays as it is.
     */
    static void rewrite(Path file, ConfigRegistry registry) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        Set<String> written = new HashSet<>();
        for (String line : lines) {
            String stripped = line.strip();
            List<byte[]> words = stripped.isEmpty() || stripped.startsWith("#") ? null : InlineSplitter.split(stripped);
            if (words != null && !words.isEmpty()) {
                String name = new String(words.get(0), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                var parameter = registry.find(name).filter(ConfigParameter::mutable);
                if (parameter.isPresent()) {
                    if (written.add(name)) {
                        out.add(name + " " + quote(parameter.get().value().get()));
                    }
                    continue; // a repeated directive: its last value is the one written
                }
            }
            out.add(line);
        }
        for (ConfigParameter p : registry.all()) {
            if (p.mutable() && !written.contains(p.name())) {
                out.add(p.name() + " " + quote(p.value().get()));
            }
        }
        Path temp = file.resolveSibling(file.getFileName() + ".rewrite");
        Files.write(temp, out, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

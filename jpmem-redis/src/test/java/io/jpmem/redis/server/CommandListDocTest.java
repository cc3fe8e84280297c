package io.jpmem.redis.server;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.redis.command.CommandSpec;
import io.jpmem.redis.command.CommandTable;
import io.jpmem.redis.command.Dispatcher;
import io.jpmem.redis.command.RedisCommands;
import io.jpmem.redis.command.Watches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/redis.md lists exactly the commands the server registers (outside parentheses: options and subcommands). */
class CommandListDocTest {

    @Test
    void theUserPageListsEveryCommandAndNoOther() throws Exception {
        CommandTable table = new CommandTable();
        RedisCommands.registerAll(table, new Dispatcher(null, new Watches()));
        Set<String> registered = new TreeSet<>();
        for (CommandSpec spec : table.all()) {
            registered.add(spec.name().toUpperCase(Locale.ROOT));
        }
        String page = Files.readString(Path.of("..", "docs", "redis.md"));
        int from = page.indexOf("\n## Commands");
        int to = page.indexOf("\n## ", from + 1);
        assertTrue(from >= 0 && to > from, "docs/redis.md has a Commands section");
        String section = page.substring(from, to).replaceAll("\\([^)]*\\)", "");
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("`([A-Z][A-Z_]*)`").matcher(section);
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertEquals(registered, listed);
    }
}

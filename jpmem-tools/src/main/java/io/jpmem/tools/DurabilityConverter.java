package io.jpmem.tools;

import io.jpmem.persist.Durability;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code power} or {@code process} (any case); SIMULATED is for tests and not offered. */
final class DurabilityConverter implements CommandLine.ITypeConverter<Durability> {
    @Override
    public Durability convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "power" -> Durability.POWER;
            case "process" -> Durability.PROCESS;
            default -> throw new CommandLine.TypeConversionException("durability must be power or process, not '" + value + "'");
        };
    }
}

package io.jpmem.tools;

import io.jpmem.heap.HeapOptions;
import picocli.CommandLine;

/** Parses sizes such as {@code 1048576}, {@code 512k}, {@code 64m}, {@code 8g} (binary units). */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return HeapOptions.parseByteSize(value).orElseThrow(
                () -> new CommandLine.TypeConversionException("'" + value + "' is not a size such as 64m or 1g"));
    }
}

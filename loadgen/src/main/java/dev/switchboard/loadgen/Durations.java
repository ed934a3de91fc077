package dev.switchboard.loadgen;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * How every duration option of the launcher is written: {@code 250ms}, {@code 10s}, {@code 1.5m},
 * {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT10S}). A bare number is refused (is {@code 500}
 * milliseconds or seconds?). The launcher registers this converter for every {@link Duration} option.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 250ms, 10s, 2m, 1h, PT10S)");
            }
        }
        int split = 0;
        while (split < v.length() && (Character.isDigit(v.charAt(split)) || v.charAt(split) == '.')) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 250ms, 10s, 2m, 1h)");
        }
        double n;
        try {
            n = Double.parseDouble(v.substring(0, split));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 250ms, 10s, 2m, 1h)");
        }
        String unit = v.substring(split).trim();
        double millis = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m", "min" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            case "" -> throw new IllegalArgumentException("'" + value + "' needs a unit: " + value + "ms, " + value + "s, ...");
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + value + "' (ms, s, m, h, d)");
        };
        return Duration.ofMillis(Math.round(millis));
    }
}

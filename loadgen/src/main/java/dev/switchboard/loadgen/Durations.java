package dev.switchboard.loadgen;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT10S}). */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        int split = 0;
        while (split < v.length() && (Character.isDigit(v.charAt(split)) || v.charAt(split) == '.')) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("not a duration: " + value + " (use e.g. 500ms, 10s, 2m)");
        }
        double n = Double.parseDouble(v.substring(0, split));
        String unit = v.substring(split).trim();
        double millis = switch (unit) {
            case "ms" -> n;
            case "s", "" -> n * 1_000;
            case "m", "min" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in " + value + " (ms, s, m, h)");
        };
        return Duration.ofMillis(Math.round(millis));
    }
}

package dev.switchboard.loadgen.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cumulative counts of one process, or of several merged: what the progress
 * line and the summary report. Immutable.
 *
 * @param open connections whose TCP connection is up now
 * @param attempts connection attempts made
 * @param ready connections that completed the protocol's hello (cumulative; reconnects count again)
 * @param subscribed subscriptions confirmed by the server
 * @param sent publications sent
 * @param delivered publications received by subscribers
 * @param errors per {@link ErrorKind}, indexed by ordinal
 * @param reasons the same errors counted by kind and reason (they sum to {@code errors})
 */
public record Counters(long open, long attempts, long ready, long subscribed, long sent, long delivered, long[] errors,
                       Map<ErrorReason, Long> reasons) {
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, new long[ErrorKind.values().length], Map.of());
    private static final int NUMBERS = 6;

    public Counters {
        if (errors.length != ErrorKind.values().length) {
            throw new IllegalArgumentException("one error count per ErrorKind expected");
        }
        errors = errors.clone();
        reasons = Collections.unmodifiableMap(new TreeMap<>(reasons));
    }

    public long errorCount() {
        long sum = 0;
        for (long e : errors) {
            sum += e;
        }
        return sum;
    }

    public long errors(ErrorKind kind) {
        return errors[kind.ordinal()];
    }

    public Counters plus(Counters o) {
        long[] e = new long[errors.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = errors[i] + o.errors[i];
        }
        Map<ErrorReason, Long> r = new TreeMap<>(reasons);
        o.reasons.forEach((k, v) -> r.merge(k, v, Long::sum));
        return new Counters(open + o.open, attempts + o.attempts, ready + o.ready, subscribed + o.subscribed,
                sent + o.sent, delivered + o.delivered, e, r);
    }

    /** Comma-separated numbers, then {@code ;} and the reasons (base64) if any: how a worker reports its counters. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        sb.append(open).append(',').append(attempts).append(',').append(ready).append(',').append(subscribed)
                .append(',').append(sent).append(',').append(delivered);
        for (long e : errors) {
            sb.append(',').append(e);
        }
        if (!reasons.isEmpty()) {
            StringBuilder lines = new StringBuilder();
            reasons.forEach((k, v) -> lines.append(k.kind().ordinal()).append('\t').append(v).append('\t')
                    .append(k.reason().replace('\n', ' ').replace('\t', ' ')).append('\n'));
            sb.append(';').append(Base64.getUrlEncoder().withoutPadding().encodeToString(lines.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return sb.toString();
    }

    public static Counters decode(String s) {
        int semi = s.indexOf(';');
        String[] p = (semi < 0 ? s : s.substring(0, semi)).split(",");
        int kinds = ErrorKind.values().length;
        if (p.length != NUMBERS + kinds) {
            throw new IllegalArgumentException("expected " + (NUMBERS + kinds) + " counters: " + s);
        }
        long[] e = new long[kinds];
        for (int i = 0; i < kinds; i++) {
            e[i] = Long.parseLong(p[NUMBERS + i]);
        }
        Map<ErrorReason, Long> reasons = new TreeMap<>();
        if (semi >= 0) {
            String text = new String(Base64.getUrlDecoder().decode(s.substring(semi + 1)), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                String[] f = line.split("\t", 3);
                if (f.length == 3) {
                    reasons.merge(new ErrorReason(ErrorKind.values()[Integer.parseInt(f[0])], f[2]), Long.parseLong(f[1]), Long::sum);
                }
            }
        }
        return new Counters(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
                Long.parseLong(p[4]), Long.parseLong(p[5]), e, reasons);
    }

    /** "connect=2 closed=1", or "0". */
    public String describeErrors() {
        if (errorCount() == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (ErrorKind k : ErrorKind.values()) {
            if (errors[k.ordinal()] > 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(k.id()).append('=').append(errors[k.ordinal()]);
            }
        }
        return sb.toString();
    }

    /** The most frequent reason of each kind with errors: {@code handshake: HTTP 429 Too Many Requests ×16}; empty if none. */
    public String describeTopReasons() {
        StringBuilder sb = new StringBuilder();
        for (ErrorKind k : ErrorKind.values()) {
            reasons.entrySet().stream().filter(e -> e.getKey().kind() == k).max(Map.Entry.comparingByValue()).ifPresent(top -> {
                long others = reasons.entrySet().stream().filter(e -> e.getKey().kind() == k && !e.getKey().equals(top.getKey())).count();
                sb.append(sb.isEmpty() ? "" : "; ").append(k.id()).append(": ").append(top.getKey().reason())
                        .append(" ×").append(top.getValue()).append(others > 0 ? " (+" + others + " other reasons)" : "");
            });
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counters c && open == c.open && attempts == c.attempts && ready == c.ready
                && subscribed == c.subscribed && sent == c.sent && delivered == c.delivered && Arrays.equals(errors, c.errors)
                && reasons.equals(c.reasons);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(open * 31 + ready) * 31 + Arrays.hashCode(errors);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Counters[open=%d attempts=%d ready=%d subscribed=%d sent=%d delivered=%d errors=%s]",
                open, attempts, ready, subscribed, sent, delivered, describeErrors());
    }
}

package dev.switchboard.loadgen.metrics;

import java.util.Arrays;
import java.util.Locale;

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
 */
public record Counters(long open, long attempts, long ready, long subscribed, long sent, long delivered, long[] errors) {
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, new long[ErrorKind.values().length]);

    public Counters {
        if (errors.length != ErrorKind.values().length) {
            throw new IllegalArgumentException("one error count per ErrorKind expected");
        }
        errors = errors.clone();
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
        return new Counters(open + o.open, attempts + o.attempts, ready + o.ready, subscribed + o.subscribed,
                sent + o.sent, delivered + o.delivered, e);
    }

    /** Space-separated numbers: how a worker reports its counters to the parent. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        sb.append(open).append(',').append(attempts).append(',').append(ready).append(',').append(subscribed)
                .append(',').append(sent).append(',').append(delivered);
        for (long e : errors) {
            sb.append(',').append(e);
        }
        return sb.toString();
    }

    public static Counters decode(String s) {
        String[] p = s.split(",");
        int kinds = ErrorKind.values().length;
        if (p.length != 6 + kinds) {
            throw new IllegalArgumentException("expected " + (6 + kinds) + " counters: " + s);
        }
        long[] e = new long[kinds];
        for (int i = 0; i < kinds; i++) {
            e[i] = Long.parseLong(p[6 + i]);
        }
        return new Counters(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
                Long.parseLong(p[4]), Long.parseLong(p[5]), e);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Counters c && open == c.open && attempts == c.attempts && ready == c.ready
                && subscribed == c.subscribed && sent == c.sent && delivered == c.delivered && Arrays.equals(errors, c.errors);
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

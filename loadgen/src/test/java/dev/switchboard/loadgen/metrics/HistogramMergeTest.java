package dev.switchboard.loadgen.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramMergeTest {
    @Test
    void aHistogramSurvivesTheWorkerLineEncoding() {
        Histogram h = HistogramCodec.empty();
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i * 7L);
        }
        Histogram back = HistogramCodec.decode(HistogramCodec.encode(h));
        assertEquals(h.getTotalCount(), back.getTotalCount());
        assertEquals(h.getValueAtPercentile(99), back.getValueAtPercentile(99));
        assertEquals(h.getMaxValue(), back.getMaxValue());
    }

    @Test
    void mergedWorkerHistogramsEqualOneHistogramOfAllValues() {
        Histogram a = HistogramCodec.empty();
        Histogram b = HistogramCodec.empty();
        Histogram all = HistogramCodec.empty();
        for (int i = 1; i <= 1_000; i++) {
            a.recordValue(i);
            all.recordValue(i);
        }
        for (int i = 0; i < 10; i++) {
            b.recordValue(50_000);
            all.recordValue(50_000);
        }
        Histogram merged = HistogramCodec.empty();
        merged.add(HistogramCodec.decode(HistogramCodec.encode(a)));
        merged.add(HistogramCodec.decode(HistogramCodec.encode(b)));
        assertEquals(all.getTotalCount(), merged.getTotalCount());
        assertEquals(all.getValueAtPercentile(99.5), merged.getValueAtPercentile(99.5));
        assertEquals(50_000, merged.getValueAtPercentile(99.5), 50_000 * 0.001);
    }

    @Test
    void countersRoundTripAndAdd() {
        long[] e1 = new long[ErrorKind.values().length];
        e1[ErrorKind.CLOSED.ordinal()] = 2;
        ErrorReason close = new ErrorReason(ErrorKind.CLOSED, "disconnect 4008 too many commands: slow down, then reconnect");
        Counters a = new Counters(10, 11, 10, 9, 100, 900, e1, java.util.Map.of(close, 2L));
        long[] e2 = new long[ErrorKind.values().length];
        e2[ErrorKind.CLOSED.ordinal()] = 1;
        e2[ErrorKind.HANDSHAKE.ordinal()] = 3;
        ErrorReason http = new ErrorReason(ErrorKind.HANDSHAKE, "HTTP 429 Too Many Requests");
        Counters b = new Counters(5, 5, 5, 5, 50, 450, e2, java.util.Map.of(close, 1L, http, 3L));
        assertEquals(a, Counters.decode(a.encode()), "reasons travel from workers to the parent");
        assertEquals(b, Counters.decode(b.encode()));
        Counters sum = a.plus(b);
        assertEquals(15, sum.open());
        assertEquals(1_350, sum.delivered());
        assertEquals(3, sum.errors(ErrorKind.CLOSED));
        assertEquals(3L, sum.reasons().get(close));
        assertEquals(3L, sum.reasons().get(http));
        assertEquals("handshake=3 closed=3", sum.describeErrors());
        assertEquals("handshake: HTTP 429 Too Many Requests ×3; closed: disconnect 4008 too many commands: slow down, then reconnect ×3",
                sum.describeTopReasons());
    }

    @Test
    void reasonsAreBoundedPerProcessAndTheRestCountAsOther() {
        LoadStats s = new LoadStats();
        for (int i = 0; i < LoadStats.MAX_REASONS + 10; i++) {
            s.error(ErrorKind.PROTOCOL, "reason " + i);
        }
        Counters c = s.counters();
        assertEquals(LoadStats.MAX_REASONS + 10, c.errors(ErrorKind.PROTOCOL));
        assertEquals(LoadStats.MAX_REASONS + 1, c.reasons().size());
        assertEquals(10L, c.reasons().get(new ErrorReason(ErrorKind.PROTOCOL, ErrorReason.OTHER)));
        assertEquals(c.errorCount(), c.reasons().values().stream().mapToLong(Long::longValue).sum(), "reasons sum to the errors");
    }

    @Test
    void rejectsAMalformedCounterLine() {
        assertThrows(IllegalArgumentException.class, () -> Counters.decode("1,2,3"));
        assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("not base64!"));
    }

    @Test
    void warmupDeliveriesAreCountedButNotRecorded() {
        LoadStats s = new LoadStats();
        s.recordFrom(1_000_000);
        s.delivered(999_999, 1_000_500);
        s.delivered(1_000_000, 1_000_250);
        assertEquals(2, s.counters().delivered());
        Histogram h = s.latency().getIntervalHistogram();
        assertEquals(1, h.getTotalCount());
        assertEquals(250, h.getMaxValue(), 1);
    }
}

package dev.switchboard.loadgen.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.ScenarioName;
import dev.switchboard.loadgen.metrics.Counters;
import dev.switchboard.loadgen.metrics.ErrorKind;
import dev.switchboard.loadgen.metrics.HistogramCodec;
import dev.switchboard.loadgen.report.TargetSummary;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ThresholdTest {
    private static TargetSummary run(long attempts, long connectErrors, long delivered, double expected) {
        Histogram latency = HistogramCodec.empty();
        for (int i = 1; i <= 100; i++) {
            latency.recordValue(i * 1_000L); // 1..100 ms
        }
        long[] errors = new long[ErrorKind.values().length];
        errors[ErrorKind.CONNECT.ordinal()] = connectErrors;
        return new TargetSummary("switchboard", "ws://127.0.0.1:1/ws", "fanout", 10,
                new Counters(0, attempts, attempts - connectErrors, 0, 1_000, delivered, errors, Map.of()),
                latency, HistogramCodec.empty(), Map.of("expected_deliveries", expected, "steady_delivered_per_s", 920.0), 0, List.of());
    }

    @Test
    void latencyLimitsTakeUnitsAndDefaultToMilliseconds() {
        assertEquals(50, Threshold.parse("p99<50ms").limit());
        assertEquals(50, Threshold.parse("p99 < 50").limit());
        assertEquals(1500, Threshold.parse("p99.9<=1.5s").limit());
        assertEquals(0.25, Threshold.parse("max<250us").limit());
        assertEquals(99.9, Threshold.parse("p99.9<1s").percentile());
    }

    @Test
    void eachMetricReadsTheRunItNames() {
        TargetSummary s = run(100, 2, 9_990, 10_000);
        assertTrue(Threshold.parse("p99<=100ms").check(s).passed());
        assertFalse(Threshold.parse("p99<50ms").check(s).passed());
        assertTrue(Threshold.parse("p99<50ms").check(s).measured().matches("99\\.0\\dms"), Threshold.parse("p99<50ms").check(s).measured());
        assertTrue(Threshold.parse("delivered>=99.9%").check(s).passed());
        assertFalse(Threshold.parse("delivered>=99.95%").check(s).passed());
        assertEquals(2, Threshold.parse("connect_failures==0").value(s).getAsDouble());
        assertEquals(0.02, Threshold.parse("connect_failure_rate<1%").value(s).getAsDouble(), 1e-9);
        assertEquals(2.0 / 1_100, Threshold.parse("error_rate<1%").value(s).getAsDouble(), 1e-9);
        assertTrue(Threshold.parse("delivered_per_s>=900").check(s).passed(), "the measured window's rate, not the whole run's");
        assertEquals(98, Threshold.parse("ready>0").value(s).getAsDouble());
    }

    @Test
    void aMetricWithoutDataFailsItsThreshold() {
        TargetSummary s = run(10, 0, 0, 0);
        Threshold t = Threshold.parse("delivered>=99%");
        assertFalse(t.check(s).passed());
        assertEquals("no data", t.check(s).measured());
    }

    @Test
    void badThresholdsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Threshold.parse("p99 50ms")).getMessage().contains("METRIC OP VALUE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Threshold.parse("latency<5ms")).getMessage().contains("unknown metric"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Threshold.parse("p99<5%")).getMessage().contains("us, ms or s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Threshold.parse("error_rate<150%")).getMessage().contains("at most 100%"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Threshold.parse("p100<5ms")).getMessage().contains("unknown metric"));
    }

    @Test
    void connectFailuresMustBeZeroUnlessTheRunSaysOtherwise() {
        LoadgenOptions plain = LoadgenOptions.builder().jwtSecret("0123456789abcdef0123456789abcdef").build();
        assertEquals(List.of(Thresholds.DEFAULT), plain.thresholds().stream().map(Threshold::expression).toList());
        LoadgenOptions own = LoadgenOptions.builder().jwtSecret("0123456789abcdef0123456789abcdef")
                .thresholds(List.of(Threshold.parse("connect_failure_rate<1%"))).build();
        assertEquals(List.of("connect_failure_rate<1%"), own.thresholds().stream().map(Threshold::expression).toList());
    }

    @Test
    void latencyThresholdsNeedAScenarioThatPublishes() {
        var b = LoadgenOptions.builder().jwtSecret("0123456789abcdef0123456789abcdef").scenario(ScenarioName.IDLE)
                .thresholds(List.of(Threshold.parse("p99<50ms")));
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().contains("no value in the idle scenario"));
        b.thresholds(List.of(Threshold.parse("handshake_p99<50ms"))).build();
    }
}

package dev.switchboard.balancer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.balancer.BalancerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BalancerCommandTest {
    private BalancerCommand parse(String... args) {
        BalancerCommand cmd = new BalancerCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void mapsOptionsOntoBalancerOptions() {
        BalancerOptions o = parse("--redis", "redis://127.0.0.1:6379", "--port", "9000", "--host", "127.0.0.1",
                "--load-factor", "1.5", "--min-share", "10", "--fallbacks", "3", "--refresh-ms", "250",
                "--registry-prefix", "{sb}:nodes:", "--jwt-secret", "0123456789abcdef0123456789abcdef").options();
        assertEquals(9000, o.port());
        assertEquals("127.0.0.1", o.host());
        assertEquals(1.5, o.loadFactor());
        assertEquals(10, o.minShare());
        assertEquals(3, o.maxFallbacks());
        assertEquals(Duration.ofMillis(250), o.refreshInterval());
        assertEquals("{sb}:nodes", o.registry().indexKey());
    }

    @Test
    void defaultsAreTheOptionsDefaults() {
        BalancerCommand cmd = parse("--redis", "redis://127.0.0.1:6379");
        BalancerOptions o = cmd.options();
        assertEquals(BalancerOptions.DEFAULT_PORT, o.port());
        assertEquals(BalancerOptions.DEFAULT_LOAD_FACTOR, o.loadFactor());
        assertEquals(BalancerOptions.DEFAULT_REFRESH_INTERVAL, o.refreshInterval());
        assertNull(cmd.keys());
    }

    @Test
    void rejectsBadValuesAsParameterErrors() {
        BalancerCommand cmd = parse("--redis", "redis://x:1", "--load-factor", "0.5");
        assertThrows(CommandLine.ParameterException.class, cmd::options);
        assertThrows(CommandLine.ParameterException.class, () -> parse("--redis", "redis://x:1", "--jwt-secret", "short").verifier());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--redis", "redis://x:1", "--api-key", "short").keys());
    }
}

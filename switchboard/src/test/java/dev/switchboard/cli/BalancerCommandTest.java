package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.balancer.BalancerOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BalancerCommandTest {
    private static BalancerCommand parse(String... args) {
        CommandLine root = Main.commandLine(Map.<String, String>of()::get);
        String[] all = new String[args.length + 1];
        all[0] = "balancer";
        System.arraycopy(args, 0, all, 1, args.length);
        return (BalancerCommand) root.parseArgs(all).subcommand().commandSpec().userObject();
    }

    @Test
    void mapsOptionsOntoBalancerOptions() {
        BalancerOptions o = parse("--redis", "redis://127.0.0.1:6379", "--port", "9000", "--host", "127.0.0.1",
                "--load-factor", "1.5", "--min-share", "10", "--fallbacks", "3", "--refresh", "250ms", "--io-threads", "2",
                "--registry-prefix", "{sb}:nodes:", "--jwt-secret", "0123456789abcdef0123456789abcdef").options();
        assertEquals(9000, o.port());
        assertEquals("127.0.0.1", o.host());
        assertEquals(1.5, o.loadFactor());
        assertEquals(10, o.minShare());
        assertEquals(3, o.maxFallbacks());
        assertEquals(2, o.ioThreads());
        assertEquals(Duration.ofMillis(250), o.refreshInterval());
        assertEquals("{sb}:nodes", o.registry().indexKey());
    }

    @Test
    void defaultsAreTheOptionsDefaultsAndThePortIsTheBalancersOwn() {
        BalancerOptions o = parse("--redis", "redis://127.0.0.1:6379").options();
        assertEquals(BalancerOptions.DEFAULT_PORT, o.port());
        assertEquals(8070, o.port(), "not the message-service's 8090");
        assertEquals(BalancerOptions.DEFAULT_LOAD_FACTOR, o.loadFactor());
        assertEquals(BalancerOptions.DEFAULT_REFRESH_INTERVAL, o.refreshInterval());
    }

    @Test
    void theOldMillisecondFlagStillWorks() {
        assertEquals(Duration.ofMillis(250), parse("--redis", "redis://x:1", "--refresh-ms", "250").options().refreshInterval());
    }

    @Test
    void badValuesNameTheFlag() {
        var e = assertThrows(CommandLine.ParameterException.class, () -> parse("--redis", "redis://x:1", "--load-factor", "0.5").validate());
        assertTrue(e.getMessage().startsWith("--load-factor must be a finite number >= 1.0: 0.5"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--redis", "redis://x:1", "--jwt-secret", "short").validate());
        assertTrue(e.getMessage().startsWith("--jwt-secret: an HS256 secret must be at least 32 bytes"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--redis", "redis://x:1", "--api-key", "short").validate());
        assertTrue(e.getMessage().startsWith("--api-key: "), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--redis", "http://x:1").validate());
        assertTrue(e.getMessage().startsWith("--redis: 'http://x:1'"), e.getMessage());
    }
}

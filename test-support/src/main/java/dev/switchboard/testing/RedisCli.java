package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-cli} against a test's server, so that a test can look at
 * Redis (PUBSUB CHANNELS, INFO commandstats, CLUSTER INFO) without a second client
 * library in the picture.
 */
public final class RedisCli {
    private RedisCli() {
    }

    /** Runs one command and returns its raw output (one reply element per line). */
    public static String run(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(Arrays.asList(args));
        return exec(cmd);
    }

    /** The non-empty lines of {@link #run}. */
    public static List<String> lines(int port, String... args) {
        return run(port, args).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Runs an arbitrary {@code redis-cli} invocation (e.g. {@code --cluster create}). */
    static String exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli did not finish: " + cmd);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli failed (" + p.exitValue() + "): " + cmd + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-cli (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }
}

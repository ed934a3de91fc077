package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.scenario.Results.Merge;
import java.time.Duration;

/**
 * {@code rounds}: what a connection costs a server, fresh and after it has
 * served before. {@code --rounds} times against the same server process: open
 * {@code --connections} (connection {@code i} subscribed to channel
 * {@code i mod --channels}; with {@code --connect-concurrency} handshakes in
 * flight, or at the ramp rate), hold them {@code --duration}, close them all
 * and wait {@code --drain}. Nothing forces a garbage collection: the memory
 * figures are what a server does by itself.
 *
 * <p>Per round {@code r}: {@code round<r>_seconds} (the first TCP connect to
 * the last subscribed), {@code round<r>_connected}, and with a server probe
 * ({@code --server-pid}, or the stats endpoint) the server's RSS before the
 * round, while it holds the connections and after they closed, and
 * {@code round<r>_rss_per_connection_bytes}: the growth from before the round
 * to the hold, per connection. {@code server_rss_start_bytes} is the RSS before
 * the first round.
 */
public final class RoundsScenario implements Scenario {
    /** How long the coordinator waits for the server to count its closed connections gone. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    @Override
    public void run(ScenarioContext ctx) throws Exception {
        LoadgenOptions o = ctx.options();
        Slice slice = ctx.slice();
        int from = slice.from(o.connections());
        int to = slice.to(o.connections());
        for (int r = 1; r <= o.rounds(); r++) {
            ConnectionSet set = new ConnectionSet(from, to, i -> ctx.protocol().channel(i % o.channels()));
            ctx.barrier("round" + r + "-start");
            set.open(ctx.dialer(), ctx.resources().group().next(), slice.share(o.rampRate()), o.connectConcurrency());
            boolean all = ctx.await("round " + r + " connections",
                    () -> set.settled() && set.subscribed() >= set.ready(), ctx.rampWait(set.size()));
            long end = all ? Math.max(set.lastReadyNanos(), set.lastSubscribedNanos()) : System.nanoTime();
            ctx.results().put("round" + r + "_connected", Merge.SUM, set.subscribed());
            ctx.results().put("round" + r + "_failed", Merge.SUM, set.failed());
            ctx.results().put("round" + r + "_seconds", Merge.MAX, (end - set.startNanos()) / 1e9);
            ctx.barrier("round" + r + "-connected");
            ctx.hold(o.duration());
            ctx.barrier("round" + r + "-held");
            set.closeAll();
            ctx.await("round " + r + " close", () -> set.closed() >= set.size(), Duration.ofSeconds(30));
            ctx.hold(o.drain());
            ctx.barrier("round" + r + "-closed");
        }
    }

    @Override
    public void atBarrier(String phase, Coordinator c) {
        if (!c.probe().isAvailable() || !phase.startsWith("round")) {
            return;
        }
        int dash = phase.indexOf('-');
        String round = phase.substring(0, dash);
        String when = phase.substring(dash + 1);
        if (when.equals("connected")) {
            return;
        }
        if (when.equals("closed")) {
            waitForServerToForget(c);
        }
        ServerProbe.Sample s = c.probe().sample();
        String key = switch (when) {
            case "start" -> "before";
            case "held" -> "held";
            default -> "after";
        };
        c.results().put(round + "_server_rss_" + key + "_bytes", Merge.MAX, s.rssBytes());
        if (s.heapUsedBytes() >= 0) {
            c.results().put(round + "_server_heap_" + key + "_bytes", Merge.MAX, s.heapUsedBytes());
        }
        if (phase.equals("round1-start")) {
            c.results().put("server_rss_start_bytes", Merge.MAX, s.rssBytes());
        }
    }

    /** Where the server counts its connections, waits until the closed ones are gone from its count. */
    private static void waitForServerToForget(Coordinator c) {
        long until = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < until) {
            long n = c.probe().sample().serverConnections();
            if (n <= 0) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void finish(Results r) {
        for (int round = 1; ; round++) {
            Double connected = r.get("round" + round + "_connected");
            if (connected == null) {
                return;
            }
            Double seconds = r.get("round" + round + "_seconds");
            if (seconds != null && seconds > 0) {
                r.put("round" + round + "_connections_per_s", Merge.MAX, connected / seconds);
            }
            Double before = r.get("round" + round + "_server_rss_before_bytes");
            Double held = r.get("round" + round + "_server_rss_held_bytes");
            if (connected > 0 && before != null && held != null && before >= 0 && held >= 0) {
                r.put("round" + round + "_rss_per_connection_bytes", Merge.MAX, (held - before) / connected);
            }
        }
    }
}

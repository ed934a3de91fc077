package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.scenario.Results.Merge;
import java.time.Duration;

/**
 * {@code idle}: open N connections at the ramp rate, hold them for the
 * duration, close them. Reports the connect rate, the handshake latency (TCP
 * connect to the protocol's hello), and the server's memory per connection:
 * the growth of its RSS (and heap, where its stats say) between before the
 * ramp and the end of the hold, divided by the connections held.
 */
public final class IdleScenario implements Scenario {
    @Override
    public void run(ScenarioContext ctx) throws Exception {
        LoadgenOptions o = ctx.options();
        Slice slice = ctx.slice();
        ConnectionSet set = new ConnectionSet(slice.from(o.connections()), slice.to(o.connections()), null);
        ctx.barrier("start");
        long start = System.nanoTime();
        set.open(ctx.dialer(), ctx.resources().group().next(), slice.share(o.rampRate()), o.connectConcurrency());
        ctx.await("connections", set::settled, ctx.rampWait(set.size()));
        double seconds = Math.max(1e-3, (set.lastReadyNanos() - start) / 1e9);
        ctx.results().put("connected", Merge.SUM, set.ready());
        ctx.results().put("connect_failed", Merge.SUM, set.failed());
        ctx.results().put("ramp_seconds", Merge.MAX, set.ready() == 0 ? 0 : seconds);
        ctx.barrier("connected");
        ctx.hold(o.duration());
        ctx.results().put("held_at_end", Merge.SUM, set.ready() - (set.closed() - set.failed()));
        ctx.barrier("held");
        set.closeAll();
        ctx.await("close", () -> set.closed() >= set.size(), Duration.ofSeconds(10));
    }

    @Override
    public void atBarrier(String phase, Coordinator c) {
        if (!c.probe().isAvailable()) {
            return;
        }
        if (phase.equals("start") || phase.equals("held")) {
            ServerProbe.Sample s = c.probe().sample();
            String when = phase.equals("start") ? "before" : "held";
            c.results().put("server_rss_" + when + "_bytes", Merge.MAX, s.rssBytes());
            c.results().put("server_heap_" + when + "_bytes", Merge.MAX, s.heapUsedBytes());
            c.results().put("server_connections_" + when, Merge.MAX, s.serverConnections());
        }
    }

    @Override
    public void finish(Results r) {
        Double connected = r.get("connected");
        Double seconds = r.get("ramp_seconds");
        if (connected != null && seconds != null && seconds > 0) {
            r.put("connect_rate_per_s", Merge.MAX, connected / seconds);
        }
        perConnection(r, "rss", connected);
        perConnection(r, "heap", connected);
    }

    private static void perConnection(Results r, String what, Double connected) {
        Double before = r.get("server_" + what + "_before_bytes");
        Double held = r.get("server_" + what + "_held_bytes");
        if (connected != null && connected > 0 && before != null && held != null && before >= 0 && held >= 0) {
            r.put("server_" + what + "_per_connection_bytes", Merge.MAX, (held - before) / connected);
        }
    }
}

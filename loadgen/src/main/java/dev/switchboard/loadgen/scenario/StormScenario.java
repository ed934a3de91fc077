package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.scenario.Results.Merge;
import java.time.Duration;

/**
 * {@code storm}: N connections, each subscribed to channel {@code i mod C},
 * are held for the duration; then every client drops at once (in every
 * worker, lined up by a barrier) and reconnects as fast as the ramp rate
 * allows. Recovery time is from the drop until every client is connected and
 * subscribed again.
 */
public final class StormScenario implements Scenario {
    @Override
    public void run(ScenarioContext ctx) throws Exception {
        LoadgenOptions o = ctx.options();
        Slice slice = ctx.slice();
        int from = slice.from(o.connections());
        int to = slice.to(o.connections());
        ConnectionSet first = new ConnectionSet(from, to, i -> ctx.protocol().channel(i % o.channels()));
        ctx.barrier("start");
        first.open(ctx.dialer(), ctx.resources().group().next(), slice.share(o.rampRate()), o.connectConcurrency());
        ctx.await("connections", () -> first.settled() && first.subscribed() >= first.ready(), ctx.rampWait(first.size()));
        ctx.results().put("connected", Merge.SUM, first.ready());
        ctx.barrier("connected");
        ctx.hold(o.duration());
        ctx.barrier("drop");

        long dropNanos = System.nanoTime();
        first.closeAll();
        ctx.await("drop", () -> first.closed() >= first.size(), Duration.ofSeconds(30));
        ConnectionSet again = new ConnectionSet(from, to, i -> ctx.protocol().channel(i % o.channels()));
        again.open(ctx.dialer(), ctx.resources().group().next(), slice.share(o.rampRate()), o.connectConcurrency());
        boolean recovered = ctx.await("reconnect",
                () -> again.settled() && again.subscribed() >= again.ready(), ctx.rampWait(again.size()));
        long doneNanos = recovered ? Math.max(again.lastReadyNanos(), again.lastSubscribedNanos()) : System.nanoTime();
        double seconds = (doneNanos - dropNanos) / 1e9;
        ctx.results().put("reconnected", Merge.SUM, again.ready());
        ctx.results().put("resubscribed", Merge.SUM, again.subscribed());
        ctx.results().put("recovery_seconds", Merge.MAX, seconds);
        ctx.results().put("recovered_processes", Merge.SUM, recovered && again.failed() == 0 ? 1 : 0);
        ctx.barrier("recovered");
        again.closeAll();
        ctx.await("close", () -> again.closed() >= again.size(), Duration.ofSeconds(10));
    }
}

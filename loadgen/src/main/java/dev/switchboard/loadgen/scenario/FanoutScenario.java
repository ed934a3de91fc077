package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.LoadgenOptions;
import dev.switchboard.loadgen.metrics.PacedTask;
import dev.switchboard.loadgen.metrics.RatePacer;
import dev.switchboard.loadgen.protocol.Protocol;
import dev.switchboard.loadgen.protocol.Publisher;
import dev.switchboard.loadgen.protocol.WallClock;
import dev.switchboard.loadgen.scenario.Results.Merge;
import java.time.Duration;
import java.util.List;

/**
 * {@code fanout}: N subscribers, subscriber {@code i} on channel {@code i mod C};
 * publishers send at a fixed offered rate (open model: each publication has an
 * intended time on a schedule, and is stamped with it, so falling behind shows
 * as latency). Publication {@code g} (global number) goes to channel
 * {@code g mod C}. Latency is recorded after the warmup; publishing lasts
 * warmup + duration, then the run waits {@code --drain} for stragglers.
 * With {@code --publish-target} the publishers connect to another node than
 * the subscribers, so every publication crosses the broker between nodes.
 */
public final class FanoutScenario implements Scenario {
    /** Publisher connections take global indices after the subscribers', so their users differ. */
    private static final int PUBLISHER_BASE = 1 << 30;

    @Override
    public void run(ScenarioContext ctx) throws Exception {
        LoadgenOptions o = ctx.options();
        Slice slice = ctx.slice();
        Protocol protocol = ctx.protocol();
        int channels = o.channels();
        ConnectionSet subs = new ConnectionSet(slice.from(o.connections()), slice.to(o.connections()),
                i -> protocol.channel(i % channels));
        ConnectionSet pubs = new ConnectionSet(PUBLISHER_BASE + slice.from(o.publishers()),
                PUBLISHER_BASE + slice.to(o.publishers()), null);
        ctx.barrier("start");
        subs.open(ctx.dialer(), ctx.resources().group().next(), slice.share(o.rampRate()), o.connectConcurrency());
        ctx.await("subscribers", () -> subs.settled() && subs.subscribed() >= subs.ready(), ctx.rampWait(subs.size()));
        if (protocol.publishesOverWebSocket()) {
            pubs.open(ctx.publishDialer(), ctx.resources().group().next(), slice.share(o.rampRate()), o.connectConcurrency());
            ctx.await("publishers", pubs::settled, ctx.rampWait(pubs.size()));
        }
        ctx.results().put("subscribers", Merge.SUM, subs.subscribed());
        ctx.barrier("subscribed");

        long startNanos = System.nanoTime() + 10_000_000;
        WallClock wall = WallClock.anchored();
        ctx.stats().recordFrom(wall.toWallMicros(startNanos + o.warmup().toNanos()));
        SteadyWindow steady = SteadyWindow.schedule(ctx.resources().group().next(), ctx.stats(),
                startNanos + o.warmup().toNanos(), startNanos + o.warmup().toNanos() + o.duration().toNanos());
        double rate = slice.share(o.rate());
        long total = RatePacer.count(rate, (o.warmup().toNanos() + o.duration().toNanos()) / 1e9);
        long[] expected = new long[1];
        List<dev.switchboard.loadgen.net.LoadConnection> publishers = pubs.readyConnections();
        if (protocol.publishesOverWebSocket() && publishers.isEmpty()) {
            throw new IllegalStateException("no publisher connection became ready");
        }
        try (Publisher publisher = ctx.publishProtocol().publisher(publishers, o.payloadSize(), ctx.stats())) {
            PacedTask task = PacedTask.start(ctx.resources().group().next(), new RatePacer(startNanos, rate, total),
                    new PacedTask.Action() {
                        @Override
                        public void fire(long k, long intendedNanos) {
                            int channel = (int) ((k * slice.count() + slice.index()) % channels);
                            publisher.publish(channel, wall.toWallMicros(intendedNanos));
                            expected[0] += subscribersOf(channel, o.connections(), channels);
                        }

                        @Override
                        public void afterTick() {
                            publisher.flush();
                        }
                    }, 10_000);
            long runNanos = o.warmup().toNanos() + o.duration().toNanos();
            if (!task.done().await(runNanos / 1_000_000 + 30_000)) {
                task.cancel();
            }
            if (!task.done().isSuccess() && task.done().cause() != null) {
                throw new IllegalStateException("publishing failed", task.done().cause());
            }
            // The pacer's loop wrote expected[]; the completed future orders those writes before this read.
            ctx.drain(o.drain(), expected[0]);
        }
        ctx.results().put("expected_deliveries", Merge.SUM, expected[0]);
        steady.report(ctx.results());
        ctx.barrier("drained");
        subs.closeAll();
        pubs.closeAll();
        ctx.await("close", () -> subs.closed() >= subs.size() && pubs.closed() >= pubs.readyConnections().size(),
                Duration.ofSeconds(10));
    }

    /** Subscribers of channel {@code c} when subscriber {@code i} takes channel {@code i mod channels}. */
    static long subscribersOf(int c, int subscribers, int channels) {
        return subscribers / channels + (c < subscribers % channels ? 1 : 0);
    }
}

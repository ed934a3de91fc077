package dev.switchboard.edge;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.PersonalBuckets;
import dev.switchboard.edge.hub.Hub;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the node tells the fleet status page about itself, in its registry heartbeat
 * (docs/operations.md, "Fleet status page"): the broker's state, the busiest shared
 * channels here and the last disconnects with their reasons. Kept to a few hundred
 * bytes, since every balancer reads every node's record each refresh. Called on the
 * heartbeat's thread, never on an event loop.
 */
public final class NodeStatus {
    /** Channels and disconnects listed per node. */
    public static final int TOP = 5;

    private final Hub hub;
    private final Broker broker;
    private final EdgeLatencies latencies;

    NodeStatus(Hub hub, Broker broker, EdgeLatencies latencies) {
        this.hub = hub;
        this.broker = broker;
        this.latencies = latencies;
    }

    /** A JSON-ready map: {@code broker} (with {@code personal_channels} on Redis), {@code channels}, {@code subscriptions}, {@code busiest_channels}, {@code disconnects}. */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> brokerState = new LinkedHashMap<>();
        brokerState.put("available", broker.isAvailable());
        brokerState.put("describe", broker.describe());
        if (broker instanceof PersonalBuckets buckets) {
            // The fleet page warns when nodes are more than one upgrade step apart (ADR 0019).
            brokerState.put("personal_channels", buckets.mode().label());
            brokerState.put("personal_channels_step", buckets.mode().step());
        }
        out.put("broker", brokerState);
        out.put("channels", hub.channelCount());
        out.put("subscriptions", hub.subscriptionCount());
        List<Map<String, Object>> busiest = new ArrayList<>();
        for (Hub.ChannelLoad c : hub.busiestChannels(TOP)) {
            busiest.add(Map.of("channel", c.channel(), "subscribers", c.subscribers()));
        }
        out.put("busiest_channels", busiest);
        RecentDisconnects recent = latencies.recentDisconnects();
        out.put("disconnects_total", recent.total());
        List<Map<String, Object>> last = new ArrayList<>();
        for (RecentDisconnects.Entry e : recent.snapshot()) {
            if (last.size() == TOP) {
                break;
            }
            last.add(Map.of("at_ms", e.atMs(), "side", e.side(), "code", e.code(), "reason", e.reason()));
        }
        out.put("recent_disconnects", last);
        return out;
    }
}

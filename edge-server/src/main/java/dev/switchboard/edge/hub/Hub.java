package dev.switchboard.edge.hub;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerHandler;
import dev.switchboard.bridge.Interest;
import dev.switchboard.edge.session.Session;
import dev.switchboard.wire.ChannelNames;
import dev.switchboard.wire.WebSocketFrames;
import dev.switchboard.wire.proto.MayHaveMissed;
import dev.switchboard.wire.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's hub: which event loops have local subscribers of which channel,
 * and the receiving end of the broker.
 *
 * <p>A publication from the broker is framed ONCE into a pooled buffer, retained
 * once per event loop that has subscribers, and handed to each such loop as one
 * task (or directly, to the loop it was published on) that writes the same bytes
 * to all of that loop's subscribers
 * (docs/performance.md #8, #9). The node holds one broker interest per loop with
 * subscribers, so the broker subscription lives exactly as long as some local
 * session needs the channel (plus the linger in {@link Interest}).
 */
public final class Hub implements BrokerHandler {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final LoopHub[] NO_LOOPS = new LoopHub[0];

    private final Interest interest;
    private final dev.switchboard.edge.EdgeLatencies latencies;
    private final ByteBufAllocator alloc;
    private final ControlHandler control;
    private volatile Consumer<String> presenceChanges = channel -> {
    };
    private final Map<EventLoop, LoopHub> byLoop = new IdentityHashMap<>();
    private final List<LoopHub> loops = new ArrayList<>();
    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
    private final LocalUsers users;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger subscriptions = new AtomicInteger();

    public Hub(EventLoopGroup group, Broker broker, Interest interest, ByteBufAllocator alloc, ControlHandler control) {
        this(group, broker, interest, alloc, control, null);
    }

    /** With {@code latencies}, each loop records its fan-out latency once per iteration (null: not recorded). */
    public Hub(EventLoopGroup group, Broker broker, Interest interest, ByteBufAllocator alloc, ControlHandler control,
               dev.switchboard.edge.EdgeLatencies latencies) {
        this.latencies = latencies;
        this.interest = interest;
        this.alloc = alloc;
        this.control = control;
        this.users = new LocalUsers(interest);
        for (EventExecutor executor : group) {
            LoopHub lh = new LoopHub(this, (EventLoop) executor);
            byLoop.put((EventLoop) executor, lh);
            loops.add(lh);
        }
        broker.setHandler(this);
    }

    /** The hub part of the loop a channel is registered on. */
    public LoopHub loopHub(EventLoop loop) {
        LoopHub lh = byLoop.get(loop);
        if (lh == null) {
            throw new IllegalArgumentException("not an event loop of this hub: " + loop);
        }
        return lh;
    }

    public List<LoopHub> loops() {
        return List.copyOf(loops);
    }

    /**
     * Tells {@code listener} of every presence change of a chat channel that reaches this node, before the sessions
     * here get it (the node's shared presence answers drop the channel's). Set once, at wiring.
     */
    public void onPresenceChanges(Consumer<String> listener) {
        this.presenceChanges = listener;
    }

    @Override
    public void onMessage(String channel, byte[] message) {
        if (ChannelNames.isPersonal(channel)) {
            onPersonal(channel, message);
            return;
        }
        if (PresenceChangesFrame.is(message) && ChannelNames.isChat(channel)) {
            presenceChanges.accept(channel);
        }
        Route route = routes.get(channel);
        if (route == null) {
            return;
        }
        LoopHub[] targets = route.loops;
        long receivedNanos = System.nanoTime();
        long commitMs = ChannelNames.isChat(channel) ? CommitStamp.of(message) : -1;
        ByteBuf frame = WebSocketFrames.binary(alloc, message);
        try {
            for (LoopHub lh : targets) {
                frame.retain();
                if (lh.loop().inEventLoop()) {
                    // Published by a session of this loop (the in-memory and local-first brokers deliver on the
                    // publisher's thread): straight into the loop's batch, no task. Each publisher's frames still
                    // reach each loop in its order: always directly to its own loop, always by task to the others.
                    lh.fanOut(channel, frame, receivedNanos, commitMs);
                } else {
                    lh.execute(() -> lh.fanOut(channel, frame, receivedNanos, commitMs), frame);
                }
            }
        } finally {
            frame.release();
        }
    }

    /** A frame of a personal channel: a control message applied to, or a push written to, each session of its user. */
    private void onPersonal(String channel, byte[] message) {
        Session[] targets = users.sessions(channel);
        if (targets.length == 0) {
            return;
        }
        ServerFrame parsed;
        try {
            parsed = ServerFrame.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            log.warn("dropping a malformed frame on {}", channel);
            return;
        }
        if (ControlHandler.isControl(parsed)) {
            for (Session s : targets) {
                s.hub().execute(() -> applyControl(s, parsed), null);
            }
            return;
        }
        long receivedNanos = System.nanoTime();
        ByteBuf frame = WebSocketFrames.binary(alloc, message);
        try {
            for (Session s : targets) {
                LoopHub lh = s.hub();
                frame.retain();
                if (lh.loop().inEventLoop()) {
                    lh.deliverPersonal(s, frame, receivedNanos);
                } else {
                    lh.execute(() -> lh.deliverPersonal(s, frame, receivedNanos), frame);
                }
            }
        } finally {
            frame.release();
        }
    }

    private void applyControl(Session s, ServerFrame frame) {
        try {
            control.apply(s, frame);
        } catch (RuntimeException e) {
            log.warn("control action failed for session {}", s, e);
        }
    }

    /** The node's users: their records, connection slots and personal channel routes. */
    public LocalUsers users() {
        return users;
    }

    /**
     * Routes the personal channel of the session's user to it and returns the user's record, which the session keeps
     * from now on ({@link LocalUser#ready()} completes when the broker delivers the channel to this node).
     */
    public LocalUser subscribePersonal(Session s) {
        return users.route(s);
    }

    /** Ends the route of {@link #subscribePersonal}. */
    public void unsubscribePersonal(Session s) {
        users.unroute(s);
    }

    @Override
    public void onResubscribed(Set<String> channels) {
        for (String channel : channels) {
            ServerFrame missed = ServerFrame.newBuilder().setMayHaveMissed(MayHaveMissed.newBuilder()
                    .setChannel(channel).setReason("broker connection was interrupted")).build();
            onLocal(channel, missed);
        }
    }

    @Override
    public void onDisconnected() {
        log.warn("broker connection lost: local fan-out continues, publishes fail until it is back");
    }

    /** Fans a frame out to this node's subscribers only (no broker), e.g. signals about the node's own state. */
    public void onLocal(String channel, ServerFrame frame) {
        onMessage(channel, frame.toByteArray());
    }

    dev.switchboard.edge.EdgeLatencies latencies() {
        return latencies;
    }

    ByteBufAllocator alloc() {
        return alloc;
    }

    CompletableFuture<Void> addLoopInterest(String channel, LoopHub lh) {
        routes.compute(channel, (ch, r) -> {
            Route route = r == null ? new Route() : r;
            if (route.loops.length == 0) {
                // Most channels live on one loop: share that loop's one-element array instead of a copy per channel.
                route.loops = lh.alone();
            } else {
                LoopHub[] next = Arrays.copyOf(route.loops, route.loops.length + 1);
                next[next.length - 1] = lh;
                route.loops = next;
            }
            return route;
        });
        return interest.acquire(channel);
    }

    void removeLoopInterest(String channel, LoopHub lh) {
        routes.computeIfPresent(channel, (ch, route) -> {
            LoopHub[] next = Arrays.stream(route.loops).filter(l -> l != lh).toArray(LoopHub[]::new);
            route.loops = next.length == 1 ? next[0].alone() : next;
            return next.length == 0 ? null : route;
        });
        interest.release(channel);
    }

    void countSubscriber(String channel, int delta) {
        subscriptions.addAndGet(delta);
        Route route = routes.get(channel);
        if (route != null) {
            Route.SUBSCRIBERS.addAndGet(route, delta);
        }
    }

    void countSession(int delta) {
        sessions.addAndGet(delta);
    }

    /** The distinct users with a local session subscribed to {@code channel} (collected on each loop). */
    public CompletableFuture<Set<String>> localUsers(String channel) {
        Route route = routes.get(channel);
        if (route == null) {
            return CompletableFuture.completedFuture(Set.of());
        }
        List<CompletableFuture<List<String>>> parts = new ArrayList<>();
        for (LoopHub lh : route.loops) {
            CompletableFuture<List<String>> part = new CompletableFuture<>();
            parts.add(part);
            lh.execute(() -> {
                List<String> users = new ArrayList<>();
                lh.forEachSubscriber(channel, s -> users.add(s.userId()));
                part.complete(users);
            }, null);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Set<String> users = new java.util.TreeSet<>();
            parts.forEach(p -> users.addAll(p.join()));
            return users;
        });
    }

    /** Local subscribers of a channel across all loops (of a personal channel: its user's sessions here). */
    public int localSubscribers(String channel) {
        if (ChannelNames.isPersonal(channel)) {
            return users.sessionCount(channel);
        }
        Route route = routes.get(channel);
        return route == null ? 0 : Math.max(0, route.subscribers);
    }

    /** A channel and its local subscribers. */
    public record ChannelLoad(String channel, int subscribers) {
    }

    /**
     * The {@code n} shared channels (not personal ones) with the most local subscribers, most first: one walk
     * over the routes off the event loops (the registry heartbeat calls it), keeping the best {@code n}.
     */
    public List<ChannelLoad> busiestChannels(int n) {
        java.util.PriorityQueue<ChannelLoad> best = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingInt(ChannelLoad::subscribers));
        routes.forEach((channel, route) -> {
            int subscribers = route.subscribers;
            if (subscribers > 0 && !ChannelNames.isPersonal(channel)
                    && (best.size() < n || subscribers > best.peek().subscribers())) {
                best.add(new ChannelLoad(channel, subscribers));
                if (best.size() > n) {
                    best.poll();
                }
            }
        });
        List<ChannelLoad> out = new ArrayList<>(best);
        out.sort(java.util.Comparator.comparingInt(ChannelLoad::subscribers).reversed()
                .thenComparing(ChannelLoad::channel));
        return out;
    }

    /** Channels with at least one local subscriber (a personal channel for each user with a session here). */
    public int channelCount() {
        return routes.size() + users.routedUsers();
    }

    public int sessionCount() {
        return sessions.get();
    }

    public int subscriptionCount() {
        return subscriptions.get() + users.routedSessions();
    }

    /** Bytes queued for all sessions, as of each loop's last sweep. */
    public long outboundBytes() {
        long sum = 0;
        for (LoopHub lh : loops) {
            sum += lh.outboundBytes();
        }
        return sum;
    }

    /** Sessions over their write-buffer high-water mark, as of each loop's last sweep. */
    public int unwritableSessions() {
        int sum = 0;
        for (LoopHub lh : loops) {
            sum += lh.unwritableSessions();
        }
        return sum;
    }

    public long deliveries() {
        long sum = 0;
        for (LoopHub lh : loops) {
            sum += lh.deliveries();
        }
        return sum;
    }

    /** One per shared channel with local subscribers (personal channels are {@link LocalUsers}): kept to two fields. */
    private static final class Route {
        static final AtomicIntegerFieldUpdater<Route> SUBSCRIBERS = AtomicIntegerFieldUpdater.newUpdater(Route.class, "subscribers");
        volatile LoopHub[] loops = NO_LOOPS;
        volatile int subscribers;
    }
}

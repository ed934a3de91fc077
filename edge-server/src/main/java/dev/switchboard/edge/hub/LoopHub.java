package dev.switchboard.edge.hub;

import dev.switchboard.edge.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the hub that belongs to one event loop: which of this loop's
 * sessions are subscribed to which channel, every session of the loop (for the
 * heartbeat sweep), and the sessions written since the last flush.
 *
 * <p>Everything here is confined to the loop's thread, so fan-out is a walk over
 * a plain array with no locks. Writes are collected and flushed once per socket
 * after the loop iteration (docs/performance.md #10), so a socket that receives many
 * publications in one iteration gets them in one writev.
 *
 * <p>Fan-out is batched per channel and iteration, as uWS's topic tree does:
 * frames of one channel that arrive during one iteration are copied once into
 * one buffer, and that buffer is written to each subscriber once after the
 * iteration. Under load (many publications per iteration) a subscriber then
 * costs one write and one outbound entry per channel per iteration instead of
 * one per publication; when idle a batch is a single frame and nothing is
 * copied. A member joining or leaving first gets the batch so far, so a session
 * receives exactly the frames fanned out while it was subscribed.
 */
public final class LoopHub {
    private static final Logger log = LoggerFactory.getLogger(LoopHub.class);
    /** A batch is written out when it would grow past this (uWS corks 16 KB). */
    static final int MAX_BATCH_BYTES = 16 * 1024;
    private static final int FIRST_BATCH_CAPACITY = 2048;

    private final Hub hub;
    private final EventLoop loop;
    private final Map<String, SessionSet> channels = new HashMap<>();
    private final List<Session> dirty = new ArrayList<>();
    private final List<SessionSet> batched = new ArrayList<>();
    private final Runnable flushTask = this::afterIteration;
    /** This loop alone, shared by every route that only this loop subscribes to. */
    private final LoopHub[] alone = {this};
    private Session[] sessions = new Session[16];
    private int sessionCount;
    private boolean flushScheduled;
    private int tick;
    private int ticksPerSecond = 4;
    private long deliveries;
    /** The oldest broker receipt (nanoTime) and commit stamp (epoch ms) fanned out in this iteration; 0 and MAX when none. */
    private long oldestReceiptNanos;
    private long oldestCommitMs = Long.MAX_VALUE;

    LoopHub(Hub hub, EventLoop loop) {
        this.hub = hub;
        this.loop = loop;
    }

    public Hub hub() {
        return hub;
    }

    /** A one-element array of this loop; never modified. */
    LoopHub[] alone() {
        return alone;
    }

    public EventLoop loop() {
        return loop;
    }

    /** The sweep counter of this loop; sessions stamp their activity with it. */
    public int tick() {
        return tick;
    }

    private volatile long outboundBytes;
    private volatile int unwritableSessions;

    /** What the last sweep found queued for this loop's sessions (read by metrics). */
    public void outboundStats(long bytes, int unwritable) {
        outboundBytes = bytes;
        unwritableSessions = unwritable;
    }

    public long outboundBytes() {
        return outboundBytes;
    }

    public int unwritableSessions() {
        return unwritableSessions;
    }

    /** Ticks in a second at the sweeper's rate (for rate limits counted in ticks). */
    public int ticksPerSecond() {
        return ticksPerSecond;
    }

    /** Set once by the sweeper when it is scheduled. */
    public void ticksPerSecond(int n) {
        ticksPerSecond = Math.max(1, n);
    }

    /** Advances the sweep counter; called by the loop's sweeper only. */
    public int advanceTick() {
        return ++tick;
    }

    /** Adds {@code s} to the subscribers of {@code channel}; completes when the broker delivers the channel here. */
    public CompletableFuture<Void> subscribe(Session s, String channel) {
        SessionSet set = channels.get(channel);
        if (set == null) {
            set = new SessionSet(channel);
            channels.put(channel, set);
            set.ready = hub.addLoopInterest(channel, this);
        }
        writeBatch(set);
        if (set.add(s)) {
            hub.countSubscriber(channel, 1);
        }
        return set.ready;
    }

    /** Removes {@code s} from {@code channel}; the loop's last subscriber gives up the loop's interest. */
    public boolean unsubscribe(Session s, String channel) {
        SessionSet set = channels.get(channel);
        if (set == null || !set.contains(s)) {
            return false;
        }
        writeBatch(set);
        set.remove(s);
        hub.countSubscriber(channel, -1);
        if (set.size() == 0) {
            channels.remove(channel);
            hub.removeLoopInterest(channel, this);
        }
        return true;
    }

    /**
     * The loop's instance of a subscribed channel's name (the key of its subscribers), which sessions keep instead
     * of the copy each decoded from its own command; {@code channel} itself when no session of the loop has it.
     */
    public String channelName(String channel) {
        SessionSet set = channels.get(channel);
        return set == null ? channel : set.channel;
    }

    /** Subscribers of {@code channel} on this loop. */
    public int subscribers(String channel) {
        SessionSet set = channels.get(channel);
        return set == null ? 0 : set.size();
    }

    /**
     * Queues one shared frame for every local subscriber of {@code channel}; it is written after
     * this loop iteration, together with the channel's other frames of the iteration. Consumes one
     * reference of {@code frame}.
     */
    void fanOut(String channel, ByteBuf frame) {
        fanOut(channel, frame, 0, -1);
    }

    /**
     * As {@link #fanOut(String, ByteBuf)}, noting when the broker delivered the frame ({@code receivedNanos},
     * 0: unknown) and, for a stored message, its commit stamp ({@code commitMs}, -1: none), so that the flush
     * after this iteration records the iteration's oldest of each (one record per iteration, not per delivery).
     */
    void fanOut(String channel, ByteBuf frame, long receivedNanos, long commitMs) {
        SessionSet set = channels.get(channel);
        if (set == null) {
            frame.release();
            return;
        }
        if (receivedNanos != 0 && (oldestReceiptNanos == 0 || receivedNanos - oldestReceiptNanos < 0)) {
            oldestReceiptNanos = receivedNanos;
        }
        if (commitMs > 0 && commitMs < oldestCommitMs) {
            oldestCommitMs = commitMs;
        }
        if (set.pending != null && set.pending.readableBytes() + frame.readableBytes() > MAX_BATCH_BYTES) {
            writeBatch(set);
        }
        if (set.pending == null) {
            // Most often the only frame of the iteration: kept as is, nothing copied.
            set.pending = frame;
            set.pendingFrames = 1;
            batched.add(set);
            scheduleFlush();
            return;
        }
        try {
            if (set.pendingFrames == 1) {
                // The first frame is shared with other loops (read-only here): start a buffer of our own.
                ByteBuf first = set.pending;
                ByteBuf batch = hub.alloc().directBuffer(Math.max(FIRST_BATCH_CAPACITY, first.readableBytes() + frame.readableBytes()));
                batch.writeBytes(first, first.readerIndex(), first.readableBytes());
                set.pending = batch;
                first.release();
            }
            set.pending.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
            set.pendingFrames++;
        } finally {
            frame.release();
        }
    }

    /**
     * Writes a frame of a personal channel to {@code s}, one of its user's sessions on this loop (the node routes
     * those channels to sessions, not through subscriber sets; {@link LocalUsers}). Consumes one reference of
     * {@code frame}.
     */
    void deliverPersonal(Session s, ByteBuf frame, long receivedNanos) {
        try {
            if (oldestReceiptNanos == 0 || receivedNanos - oldestReceiptNanos < 0) {
                oldestReceiptNanos = receivedNanos;
            }
            s.deliver(frame);
            deliveries++;
        } finally {
            frame.release();
        }
    }

    /** Writes the set's pending frames to every member (one shared buffer, one write each). */
    private void writeBatch(SessionSet set) {
        ByteBuf frames = set.pending;
        if (frames == null) {
            return;
        }
        int count = set.pendingFrames;
        set.pending = null;
        set.pendingFrames = 0;
        try {
            int n = set.size();
            for (int i = 0; i < n; i++) {
                set.get(i).deliver(frames);
            }
            deliveries += (long) n * count;
        } finally {
            frames.release();
        }
    }

    /** Runs {@code action} for each local subscriber of {@code channel} (a copy, so the action may unsubscribe). */
    void forEachSubscriber(String channel, Consumer<Session> action) {
        SessionSet set = channels.get(channel);
        if (set == null) {
            return;
        }
        for (Session s : set.snapshot()) {
            try {
                action.accept(s);
            } catch (RuntimeException e) {
                log.warn("control action failed for session {}", s, e);
            }
        }
    }

    void execute(Runnable task, ByteBuf toReleaseIfRejected) {
        try {
            loop.execute(task);
        } catch (RuntimeException rejected) {
            // The loop is shutting down; its sessions are gone.
            if (toReleaseIfRejected != null) {
                toReleaseIfRejected.release();
            }
        }
    }

    /** Queues {@code s} for a flush after this loop iteration. */
    public void markDirty(Session s) {
        dirty.add(s);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            if (loop instanceof SingleThreadEventLoop st) {
                st.executeAfterEventLoopIteration(flushTask);
            } else {
                loop.execute(flushTask);
            }
        }
    }

    /** After the loop iteration: write the batches of the iteration, then flush every written socket once. */
    private void afterIteration() {
        // Index loops: a write may fail and close a session, which must not break the walk; batches go first
        // so that their writes join the flush below (flushScheduled stays set, so nothing reschedules).
        for (int i = 0; i < batched.size(); i++) {
            try {
                writeBatch(batched.get(i));
            } catch (RuntimeException e) {
                log.warn("fan-out batch failed", e);
            }
        }
        batched.clear();
        flushScheduled = false;
        for (int i = 0; i < dirty.size(); i++) {
            try {
                dirty.get(i).flushNow();
            } catch (RuntimeException e) {
                log.debug("flush failed", e);
            }
        }
        dirty.clear();
        recordLatencies();
    }

    private void recordLatencies() {
        var latencies = hub.latencies();
        if (latencies != null) {
            if (oldestReceiptNanos != 0) {
                latencies.fanOut(oldestReceiptNanos);
            }
            if (oldestCommitMs != Long.MAX_VALUE) {
                latencies.commitToFlush(oldestCommitMs);
            }
        }
        oldestReceiptNanos = 0;
        oldestCommitMs = Long.MAX_VALUE;
    }

    /** Registers a new session of this loop (for the sweep). */
    public void register(Session s) {
        if (sessionCount == sessions.length) {
            sessions = Arrays.copyOf(sessions, sessionCount * 2);
        }
        s.loopIndex(sessionCount);
        sessions[sessionCount++] = s;
        hub.countSession(1);
    }

    /** Forgets a closed session. */
    public void deregister(Session s) {
        int i = s.loopIndex();
        if (i < 0 || i >= sessionCount || sessions[i] != s) {
            return;
        }
        int last = --sessionCount;
        Session moved = sessions[last];
        sessions[i] = moved;
        moved.loopIndex(i);
        sessions[last] = null;
        s.loopIndex(-1);
        hub.countSession(-1);
    }

    /** A copy of this loop's sessions, for sweeps and shutdown (which close sessions while walking). */
    public Session[] sessions() {
        return Arrays.copyOf(sessions, sessionCount);
    }

    /** The session at {@code i} of this loop's registry (sweeps walk it backwards). */
    public Session sessionAt(int i) {
        return i < sessionCount ? sessions[i] : null;
    }

    public int sessionCount() {
        return sessionCount;
    }

    /** Deliveries written by this loop so far (read racily by metrics; a plain field keeps the hot path free). */
    public long deliveries() {
        return deliveries;
    }
}

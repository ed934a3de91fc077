package dev.switchboard.edge.presence;

import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.hub.Hub;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.edge.session.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live WebSocket is proof of life: each connected session holds a lease in
 * the {@link PresenceStore}, renewed by this node every renew interval. When a
 * user's first lease appears or last one goes (closed here, or expired because
 * its node died and reaped by any node), the change is announced to the chat
 * channels the user belongs to, coalesced by {@link PresenceAnnouncer}.
 *
 * <p>The event loops' store calls (a lease opened, closed, renewed) wait in one
 * queue, in the order they were made, and the service's thread runs them in a
 * batch {@link #BATCH_WINDOW_MS} after the first: one hand-over to that thread
 * per window instead of a task and a wake-up per connection and per close
 * (docs/benchmarks.md, "Where a connection's CPU goes"). A query
 * ({@link #online}, {@link #lastSeen}) runs what waits first, so it sees every
 * change made before it was asked.
 */
public final class PresenceService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PresenceService.class);
    private static final int REAP_BATCH = 500;
    /** How long the loops' store calls gather before the service's thread runs them. */
    static final long BATCH_WINDOW_MS = 10;
    /** Leases renewed per round (see {@link LeaseRenewal}). */
    static final int RENEW_ROUND = 512;

    private final String nodeId;
    private final PresenceStore store;
    private final Hub hub;
    private final PresenceAnnouncer announcer;
    private final BiFunction<String, String, CompletableFuture<List<String>>> channelsOf;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    /**
     * Every store call runs here, never on an event loop: a Redis client's write
     * path takes locks (and spins while reconnecting), which an event loop must not.
     */
    private final ScheduledExecutorService exec;
    /** The loops' store calls not run yet, in order (see the class comment). */
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean batchScheduled = new AtomicBoolean();
    /** Renews on {@link #exec}, after what the loops queued ({@link #runPending}); a session closed by then is left out. */
    private final LeaseRenewal<Session> renewal;
    /** Presence answers shared per channel; the node's hub drops a chat channel's when a change of it passes. */
    private final PresenceAnswers answers = new PresenceAnswers();

    /**
     * @param channelsOf the chat channels of a user (for offline announcements of users whose node died)
     */
    public PresenceService(String nodeId, PresenceStore store, Broker broker, Hub hub,
                           BiFunction<String, String, CompletableFuture<List<String>>> channelsOf) {
        this.nodeId = nodeId;
        this.store = store;
        this.hub = hub;
        this.announcer = new PresenceAnnouncer(broker);
        this.channelsOf = channelsOf;
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "presence-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        this.renewal = new LeaseRenewal<>(store, exec, this::runPending, Session::isConnected, this::lease, RENEW_ROUND);
    }

    /** Starts renewing, reaping and announcing on the service's own thread. */
    public void start(Duration renewInterval, Duration reapInterval, Duration announceWindow) {
        timers.add(exec.scheduleAtFixedRate(this::renewAll, renewInterval.toMillis(), renewInterval.toMillis(), TimeUnit.MILLISECONDS));
        timers.add(exec.scheduleAtFixedRate(this::reap, reapInterval.toMillis(), reapInterval.toMillis(), TimeUnit.MILLISECONDS));
        timers.add(exec.scheduleAtFixedRate(announcer::flush, announceWindow.toMillis(), announceWindow.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Queues a store call of an event loop; the first of a window schedules the batch. */
    private void submit(Runnable r) {
        pending.offer(r);
        if (!batchScheduled.get() && batchScheduled.compareAndSet(false, true)) {
            try {
                exec.schedule(this::runBatch, BATCH_WINDOW_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // The node is shutting down: close() runs what waits; leases it misses lapse by themselves.
            }
        }
    }

    private void runBatch() {
        batchScheduled.set(false); // before the queue is read: a call queued from now on schedules the next batch
        runPending();
    }

    /** Runs the queued store calls, in order; on the service's thread (or in close, after it ended). */
    private void runPending() {
        for (Runnable r; (r = pending.poll()) != null; ) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("presence task failed", e);
            }
        }
    }

    public Lease lease(Session s) {
        return new Lease(s.orgId(), s.userId(), nodeId, s.id());
    }

    /** A session completed Connect; {@code chatChannels} are the user's chat channels. */
    public void connected(Session s, Collection<String> chatChannels) {
        List<String> channels = List.copyOf(chatChannels);
        Lease lease = lease(s);
        submit(() -> store.opened(lease).whenComplete((first, err) -> {
            if (err != null) {
                log.debug("presence lease of {} not written: {}", s, err.toString());
            } else if (first) {
                announcer.announce(s.userId(), true, channels);
            }
        }));
    }

    /** A connected session closed; {@code chatChannels} are the chat channels it was subscribed to. */
    public void disconnected(Session s, Collection<String> chatChannels) {
        List<String> channels = List.copyOf(chatChannels);
        Lease lease = lease(s);
        submit(() -> store.closed(lease).whenComplete((last, err) -> {
            if (err != null) {
                log.debug("presence lease of {} not removed: {}", s, err.toString());
            } else if (last) {
                announcer.announce(s.userId(), false, channels);
            }
        }));
    }

    /** The node's presence answers, shared per channel (queries of sessions). */
    public PresenceAnswers answers() {
        return answers;
    }

    /** Who of {@code users} is online anywhere in the fleet. */
    public CompletableFuture<Set<String>> online(String org, Collection<String> users) {
        List<String> copy = List.copyOf(users);
        return CompletableFuture.supplyAsync(() -> {
            runPending();
            return store.online(org, copy);
        }, exec).thenCompose(f -> f);
    }

    /** When each of {@code users} who went offline was last online (epoch ms); see {@link PresenceStore#lastSeen}. */
    public CompletableFuture<Map<String, Long>> lastSeen(String org, Collection<String> users) {
        List<String> copy = List.copyOf(users);
        return CompletableFuture.supplyAsync(() -> {
            runPending();
            return store.lastSeen(org, copy);
        }, exec).thenCompose(f -> f);
    }

    /** On the service's thread: each loop lists its connected sessions, whose leases are renewed in rounds. */
    private void renewAll() {
        for (LoopHub lh : hub.loops()) {
            lh.loop().execute(() -> {
                List<Session> sessions = new ArrayList<>(lh.sessionCount());
                for (Session s : lh.sessions()) {
                    if (s.isConnected()) {
                        sessions.add(s);
                    }
                }
                if (!sessions.isEmpty()) {
                    renewal.renew(sessions);
                }
            });
        }
    }

    private void reap() {
        store.reapExpired(REAP_BATCH).whenComplete((offline, err) -> {
            if (err != null) {
                log.debug("presence reaping failed: {}", err.toString());
                return;
            }
            for (Lease gone : offline) {
                channelsOf.apply(gone.org(), gone.user()).whenComplete((channels, e) -> {
                    if (e == null) {
                        announcer.announce(gone.user(), false, channels);
                    }
                });
            }
        });
    }

    @Override
    public void close() {
        timers.forEach(t -> t.cancel(false));
        exec.shutdown();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runPending();
        announcer.flush();
        store.close();
    }
}

package dev.switchboard.edge.hub;

import dev.switchboard.bridge.Interest;
import dev.switchboard.edge.session.Session;
import dev.switchboard.wire.ChannelNames;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's {@link LocalUser}s by personal channel name: one record per user with a connection slot, a routed
 * session or a lingering subscription here. The node routes a user's personal channel to the user's sessions (no
 * subscriber set, route and batch per session as a shared channel has; its frames are handed to each session's
 * loop) and holds the channel's broker subscription while some session is routed, plus the {@link Interest}'s
 * linger after the last one left; the record keeps that state itself instead of an entry of the {@link Interest}
 * (ADR 0015). Thread-safe: a user's sessions may live on several loops; each change runs inside the user's map entry.
 */
public final class LocalUsers {
    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final Session[] NONE = new Session[0];

    private final ConcurrentHashMap<String, LocalUser> users = new ConcurrentHashMap<>();
    /** The broker side (subscribe, linger, unsubscribe); null for a registry that only counts slots. */
    private final Interest interest;
    private final AtomicInteger routedUsers = new AtomicInteger();
    private final AtomicInteger routedSessions = new AtomicInteger();

    public LocalUsers(Interest interest) {
        this.interest = interest;
    }

    /** The user's record if the node has one, otherwise a new one not registered yet. */
    public LocalUser identity(String org, String id) {
        String channel = ChannelNames.personal(org, id);
        LocalUser u = users.get(channel);
        return u != null ? u : new LocalUser(org, id, channel);
    }

    // ------------------------------------------------------------ connection slots

    /** Takes a connection slot of the user unless {@code limit} are taken; false when at the limit. */
    public boolean takeSlot(String org, String id, int limit) {
        boolean[] taken = {false};
        users.compute(ChannelNames.personal(org, id), (channel, u) -> {
            LocalUser r = u != null ? u : new LocalUser(org, id, channel);
            if (r.slots < limit) {
                r.slots++;
                taken[0] = true;
            }
            return r.idle() ? null : r;
        });
        return taken[0];
    }

    public void releaseSlot(String org, String id) {
        users.computeIfPresent(ChannelNames.personal(org, id), (channel, r) -> {
            if (r.slots > 0) {
                r.slots--;
            }
            return r.idle() ? null : r;
        });
    }

    public int slots(String org, String id) {
        LocalUser u = users.get(ChannelNames.personal(org, id));
        return u == null ? 0 : u.slots;
    }

    // ------------------------------------------------------------ personal channel routes

    /**
     * Routes the personal channel of {@code s}'s user to {@code s} and returns the user's record (the one the session
     * keeps from now on: {@code s}'s own if the node had none). The first session subscribes the broker, or ends the
     * linger of an earlier one; a subscribe that failed is asked for again.
     */
    LocalUser route(Session s) {
        LocalUser own = s.user();
        LocalUser[] out = {own};
        users.compute(own.channel(), (channel, u) -> {
            LocalUser r = u != null ? u : own;
            out[0] = r;
            Session[] now = sessions(r);
            for (Session x : now) {
                if (x == s) {
                    return r;
                }
            }
            if (now.length == 0) {
                routedUsers.incrementAndGet();
                subscribe(r);
            }
            routedSessions.incrementAndGet();
            if (now.length == 0) {
                r.sessions = s;
            } else {
                Session[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = s;
                r.sessions = next;
            }
            return r;
        });
        return out[0];
    }

    private void subscribe(LocalUser r) {
        Object state = r.subscription;
        if (state instanceof CompletableFuture<?> f) {
            if (!f.isCompletedExceptionally()) {
                return;
            }
        } else if (state instanceof Future<?> linger) {
            // Subscribed and lingering: the subscription goes on.
            linger.cancel(false);
            r.subscription = DONE;
            return;
        }
        r.subscription = interest.subscribeUncounted(r.channel());
    }

    /** Ends the route of {@link #route}; the last session's leaving starts the subscription's linger. */
    boolean unroute(Session s) {
        LocalUser user = s.user();
        boolean[] removed = {false};
        users.computeIfPresent(user.channel(), (channel, r) -> {
            Session[] now = sessions(r);
            Session[] next = without(now, s);
            if (next == now) {
                return r;
            }
            removed[0] = true;
            routedSessions.decrementAndGet();
            r.sessions = next.length == 0 ? null : next.length == 1 ? next[0] : next;
            if (next.length == 0) {
                routedUsers.decrementAndGet();
                linger(r);
            }
            return r.idle() ? null : r;
        });
        return removed[0];
    }

    /** {@code all} without {@code s} (a new array), or {@code all} itself when {@code s} is not in it. */
    private static Session[] without(Session[] all, Session s) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == s) {
                if (all.length == 1) {
                    return NONE;
                }
                Session[] next = new Session[all.length - 1];
                System.arraycopy(all, 0, next, 0, i);
                System.arraycopy(all, i + 1, next, i, all.length - i - 1);
                return next;
            }
        }
        return all;
    }

    private void linger(LocalUser r) {
        if (!(r.subscription instanceof CompletableFuture<?> f) || f.isCompletedExceptionally()) {
            r.subscription = null;
            return;
        }
        ScheduledFuture<?> later = interest.afterLinger(() -> expire(r));
        if (later != null) {
            r.subscription = later;
        } else {
            r.subscription = null;
            interest.unsubscribeUncounted(r.channel());
        }
    }

    private void expire(LocalUser expected) {
        users.computeIfPresent(expected.channel(), (channel, r) -> {
            if (r != expected || r.sessions != null || !r.lingering()) {
                return r;
            }
            r.subscription = null;
            interest.unsubscribeUncounted(channel);
            return r.idle() ? null : r;
        });
    }

    private static Session[] sessions(LocalUser r) {
        Object v = r.sessions;
        return v == null ? NONE : v instanceof Session one ? new Session[] {one} : (Session[]) v;
    }

    /** The sessions of a personal channel on this node (a copy: the caller may keep it). */
    Session[] sessions(String channel) {
        LocalUser u = users.get(channel);
        if (u == null) {
            return NONE;
        }
        Object v = u.sessions;
        return v == null ? NONE : v instanceof Session one ? new Session[] {one} : ((Session[]) v).clone();
    }

    int sessionCount(String channel) {
        LocalUser u = users.get(channel);
        Object v = u == null ? null : u.sessions;
        return v == null ? 0 : v instanceof Session ? 1 : ((Session[]) v).length;
    }

    /** Users with a session routed on this node. */
    int routedUsers() {
        return routedUsers.get();
    }

    /** Sessions routed (each a subscription of its personal channel). */
    int routedSessions() {
        return routedSessions.get();
    }

    /** Records kept (users with a slot, a routed session or a lingering subscription). */
    int size() {
        return users.size();
    }
}

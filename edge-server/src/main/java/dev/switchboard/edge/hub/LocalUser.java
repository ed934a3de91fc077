package dev.switchboard.edge.hub;

import dev.switchboard.edge.session.Session;
import dev.switchboard.wire.ChannelNames;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A user with connections on this node, one record shared by all of the user's sessions here (ADR 0015, what a
 * connection holds): who the user is (organisation, user id, personal channel name: one instance of each per user),
 * the sessions the personal channel is routed to, the node's broker subscription of that channel, and the connection
 * slots the user takes ({@code ConnectionLimits}). It replaces a route entry, an {@code Interest} entry and a per-user
 * count that were kept apart. The mutable fields change only inside {@link LocalUsers}' map entry for the user.
 */
public final class LocalUser {
    private final String org;
    private final String id;
    private final String channel;
    /**
     * The sessions routed: null, one {@link Session}, or a {@code Session[]} (never modified: a change replaces it).
     * Read without the entry's lock by the broker's thread, hence volatile.
     */
    volatile Object sessions;
    /**
     * The broker subscription of the personal channel: null (none), the broker's future (subscribing or active),
     * or the pending unsubscribe while the subscription lingers after the last session left.
     */
    volatile Object subscription;
    /** Connection slots taken ({@code ConnectionLimits}, when it counts users). */
    int slots;

    /** An identity not registered with the node yet (a session that took no connection slot, tests). */
    public LocalUser(String org, String id) {
        this(org, id, ChannelNames.personal(org, id));
    }

    LocalUser(String org, String id, String channel) {
        this.org = org;
        this.id = id;
        this.channel = channel;
    }

    public String org() {
        return org;
    }

    public String id() {
        return id;
    }

    /** The user's personal channel ({@code <org>/#<user>}). */
    public String channel() {
        return channel;
    }

    /** Completes when the broker delivers the personal channel to this node (at once when not routed yet). */
    public CompletableFuture<Void> ready() {
        Object s = subscription;
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> f = s instanceof CompletableFuture<?> cf ? (CompletableFuture<Void>) cf : LocalUsers.DONE;
        return f;
    }

    boolean lingering() {
        return subscription instanceof Future<?> f && !(f instanceof CompletableFuture<?>);
    }

    /** Nothing left to keep: no session, no slot, no subscription. */
    boolean idle() {
        return sessions == null && slots == 0 && subscription == null;
    }

    @Override
    public String toString() {
        return channel;
    }
}

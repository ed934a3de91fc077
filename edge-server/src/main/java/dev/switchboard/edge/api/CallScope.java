package dev.switchboard.edge.api;

import dev.switchboard.http.HttpError;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.KeyScopeException;
import dev.switchboard.auth.ServerPrincipal;
import dev.switchboard.edge.session.ChatBackend;
import dev.switchboard.edge.session.ChatBackendException;
import dev.switchboard.wire.ChannelNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What a key may do on the server API (docs/security.md, "How keys are scoped"):
 * every organisation a call names, by a user or a channel, must be one its key may
 * act in ({@link ServerPrincipal}); what belongs to the node (stats, drain) needs a
 * platform key; a chat channel takes no raw publication (its messages are stored and
 * sequenced by the message-service); a user is subscribed to a chat channel only if
 * a member.
 */
final class CallScope {
    static final String PERMISSION_DENIED = "PERMISSION_DENIED";
    static final String NOT_A_MEMBER = "NOT_A_MEMBER";
    static final String SEQUENCED_CHANNEL = "SEQUENCED_CHANNEL";

    private CallScope() {
    }

    /** Refuses unless {@code key} may act in {@code org}. */
    static void org(ApiKeys.Key key, String org) {
        try {
            ServerPrincipal.requireOrg(key, org);
        } catch (KeyScopeException e) {
            throw forbidden(e);
        }
    }

    /** Refuses unless {@code key} may read or address the (valid) {@code channel}. */
    static void channel(ApiKeys.Key key, String channel) {
        org(key, ChannelNames.org(channel));
    }

    /** As {@link #channel}, and refuses a chat channel: a publication there would carry no sequence. */
    static void publishable(ApiKeys.Key key, String channel) {
        channel(key, channel);
        if (ChannelNames.isChat(channel)) {
            long id = ChannelNames.chatId(channel);
            throw HttpError.of(HttpResponseStatus.CONFLICT, SEQUENCED_CHANNEL, channel + " is a chat channel: its "
                    + "messages are stored and sequenced by the message-service; send with POST /v1/channels/"
                    + (id > 0 ? id : "{id}") + "/messages there (acting for the sender)");
        }
    }

    /** Refuses unless {@code key} is a platform key: for what belongs to the node, no one organisation. */
    static void platform(ApiKeys.Key key, String what) {
        try {
            ServerPrincipal.requirePlatform(key, what);
        } catch (KeyScopeException e) {
            throw forbidden(e);
        }
    }

    /**
     * Completes when {@code user} may be subscribed to {@code channel}: at once for an
     * ephemeral channel; for a chat channel once the message-service says the user is a
     * member, else fails with an {@link HttpError} (403 {@code NOT_A_MEMBER}, 404, 503).
     */
    static CompletableFuture<Void> subscribable(ChatBackend chat, String org, String user, String channel) {
        if (!ChannelNames.isChat(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        long id = ChannelNames.chatId(channel);
        if (id < 0) {
            return CompletableFuture.failedFuture(HttpError.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST",
                    "not a chat channel's name: " + channel));
        }
        return chat.checkRead(org, user, id).handle((ok, err) -> {
            if (err == null) {
                return null;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (!(cause instanceof ChatBackendException e)) {
                throw new CompletionException(cause);
            }
            throw switch (e.code()) {
                case PERMISSION_DENIED -> HttpError.of(HttpResponseStatus.FORBIDDEN, NOT_A_MEMBER,
                        user + " is not a member of " + channel);
                case NOT_FOUND, UNKNOWN_CHANNEL -> HttpError.of(HttpResponseStatus.NOT_FOUND, "NOT_FOUND",
                        "no chat channel " + channel + " for " + user + ": " + e.getMessage());
                case UNAVAILABLE -> HttpError.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE",
                        "cannot check membership now: " + e.getMessage());
                default -> new CompletionException(e);
            };
        });
    }

    private static HttpError forbidden(KeyScopeException e) {
        return HttpError.of(HttpResponseStatus.FORBIDDEN, PERMISSION_DENIED, e.getMessage());
    }
}

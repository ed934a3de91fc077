package dev.switchboard.client.internal;

import dev.switchboard.client.ClientResources;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.TokenProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One connect attempt: a token from the provider, candidate URLs from the
 * endpoint (asked every time, so a drain sends clients back through the
 * balancer), then each URL in order until a WebSocket opens.
 */
public final class Dialer {
    private final Endpoint endpoint;
    private final TokenProvider tokens;
    private final ClientResources resources;
    private final Duration connectTimeout;

    /** An open WebSocket, where it goes, and the listener it reports to. */
    public record Dialed<L extends WireListener>(WireConnection conn, URI url, L events) {
    }

    public Dialer(Endpoint endpoint, TokenProvider tokens, ClientResources resources, Duration connectTimeout) {
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.resources = resources;
        this.connectTimeout = connectTimeout;
    }

    /** Opens a WebSocket; {@code listeners} gives each try its own listener. */
    public <L extends WireListener> CompletableFuture<Dialed<L>> dial(Supplier<L> listeners) {
        return tokens.token().toCompletableFuture()
                .thenCompose(token -> endpoint.resolve(token).thenCompose(urls -> tryUrls(urls, 0, token, listeners)));
    }

    private <L extends WireListener> CompletableFuture<Dialed<L>> tryUrls(List<URI> urls, int i, String token, Supplier<L> listeners) {
        if (urls.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the endpoint named no node"));
        }
        L events = listeners.get();
        return WireConnection.builder(urls.get(i), token).resources(resources).listener(events).tokenInQuery(false)
                .handshakeTimeout(connectTimeout).connect()
                .thenApply(c -> new Dialed<>(c, urls.get(i), events))
                .exceptionallyCompose(err -> i + 1 < urls.size()
                        ? tryUrls(urls, i + 1, token, listeners) : CompletableFuture.failedFuture(err));
    }

    /** The innermost message of a failure, for a disconnect reason. */
    public static String rootMessage(Throwable err) {
        Throwable e = err;
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage());
    }
}

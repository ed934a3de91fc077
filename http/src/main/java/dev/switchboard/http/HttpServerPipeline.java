package dev.switchboard.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP surface: its options, its routes, and the connections it holds now.
 * {@link #install} puts the HTTP stage into a connection's pipeline (after TLS,
 * if any): {@link #GUARD} (connection limit and timers, below the codec),
 * {@link #CODEC} ({@link ServerCodec}, Netty's server codec) and {@link #SERVER} (routing, authentication before the body,
 * body limits, pipelining, answers). Build one per listening port and share it
 * by every connection of that port.
 */
public final class HttpServerPipeline {
    public static final String GUARD = "http-guard";
    public static final String CODEC = "http-codec";
    public static final String SERVER = "http-server";
    /** Unexpected failures are logged under the connection handler's name, as before the errors moved here. */
    private static final Logger log = LoggerFactory.getLogger(HttpServerHandler.class);
    /** The decoder's first scratch buffer for a line of the head (see {@link #decoderConfig}). */
    static final int SCRATCH_BYTES = 256;

    private final HttpServerOptions options;
    private final Router router;
    private final Function<Throwable, HttpError> errors;
    private final ConnectionCounter connections;
    private final HttpDecoderConfig decoder;
    private volatile boolean closing;

    private HttpServerPipeline(HttpServerOptions options, Router router, Function<Throwable, HttpError> errors) {
        this.options = Objects.requireNonNull(options, "options");
        this.router = Objects.requireNonNull(router, "router");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.connections = new ConnectionCounter(options.maxConnections());
        this.decoder = decoderConfig(options);
    }

    /**
     * The request decoder's configuration for {@code options}: read by each connection's codec when it is
     * made and never changed after, so shared, not cloned per connection. The decoder copies each line of
     * the head into a scratch buffer that grows to the longest line; {@link #SCRATCH_BYTES} holds a
     * handshake's request line and its bearer token's header in one array (Netty starts at 128 and grows:
     * two arrays per connection; docs/benchmarks.md, "Handshake garbage").
     */
    static HttpDecoderConfig decoderConfig(HttpServerOptions options) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(options.maxInitialLineBytes())
                .setMaxHeaderSize(options.maxHeaderBytes())
                .setMaxChunkSize(8192)
                .setInitialBufferSize(SCRATCH_BYTES);
    }

    public static HttpServerPipeline of(HttpServerOptions options, Router router) {
        return new HttpServerPipeline(options, router, t -> null);
    }

    /**
     * The same surface with a mapping from a service's own exceptions to answers
     * ({@code null}: not one of them, answered 500).
     */
    public HttpServerPipeline mapErrors(Function<Throwable, HttpError> mapper) {
        return new HttpServerPipeline(options, router, mapper);
    }

    /** Adds the HTTP stage to the end of {@code p}. */
    public void install(ChannelPipeline p) {
        ConnectionGuard guard = new ConnectionGuard(options, connections);
        p.addLast(GUARD, guard);
        p.addLast(CODEC, new ServerCodec(decoder));
        p.addLast(SERVER, new HttpServerHandler(this, guard));
    }

    /** A sharable initializer that installs the HTTP stage on every new connection. */
    public ChannelHandler initializer() {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                install(ch.pipeline());
            }

            @Override
            public boolean isSharable() {
                return true;
            }
        };
    }

    /** From now on every answer says {@code Connection: close} (shutting down). */
    public void closeConnectionsAfterAnswer() {
        closing = true;
    }

    public HttpServerOptions options() {
        return options;
    }

    public Router router() {
        return router;
    }

    /** Connections of this surface in the HTTP stage now. */
    public int openConnections() {
        return connections.open();
    }

    boolean isClosing() {
        return closing;
    }

    /** Maps a failure to its answer: an {@link HttpError} (or what the mapper makes of it), else 500. */
    Response errorResponse(HttpExchange ex, Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        HttpError e = t instanceof HttpError h ? h : mapError(t);
        if (e == null) {
            log.error("{} {} failed", ex == null ? "?" : ex.method(), ex == null ? "?" : ex.path(), t);
            e = HttpError.internal();
        }
        return e.toResponse();
    }

    private HttpError mapError(Throwable t) {
        try {
            return errors.apply(t);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

package dev.switchboard.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One request and its answer. The handler reads the request (head, path
 * parameters, query, principal, body) and answers exactly once, from any
 * thread: {@link #respond}, {@link #fail}, {@link #complete},
 * {@link #stream} or {@link #switchProtocols}. Until it does, the connection
 * reads nothing more (pipelined requests wait, in order).
 */
public final class HttpExchange {
    private static final VarHandle ANSWERED;

    static {
        try {
            ANSWERED = MethodHandles.lookup().findVarHandle(HttpExchange.class, "answered", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HttpResponder answers;
    private final HttpRequest request;
    private final String path;
    /** The URI's decoder: made for a URI with a query, an escape or a fragment, else when the query is read. */
    private QueryStringDecoder uri;
    /** 0 until answered, then 1 (a field and a VarHandle: no AtomicBoolean per request). */
    private volatile int answered;
    private Router.Route route;
    private Map<String, String> params = Map.of();
    private Object principal;
    private byte[] body;
    private RequestBody stream;

    HttpExchange(HttpResponder answers, HttpRequest request) {
        this.answers = answers;
        this.request = request;
        String u = request.uri();
        if (isPlainPath(u)) {
            this.path = u; // what the decoder would answer, without the decoder and a copy
        } else {
            this.uri = new QueryStringDecoder(u);
            this.path = uri.path();
        }
    }

    /** Whether {@code uri} is its own decoded path: no query, fragment or escape. */
    private static boolean isPlainPath(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#' || c == '%') {
                return false;
            }
        }
        return true;
    }

    private QueryStringDecoder uri() {
        QueryStringDecoder d = uri;
        if (d == null) {
            d = new QueryStringDecoder(request.uri());
            uri = d;
        }
        return d;
    }

    private boolean markAnswered() {
        return ANSWERED.compareAndSet(this, 0, 1);
    }

    public HttpRequest request() {
        return request;
    }

    public HttpMethod method() {
        return request.method();
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** The decoded path, without the query. */
    public String path() {
        return path;
    }

    /** A {@code {name}} of the route's pattern; null if it has none of that name. */
    public String pathParam(String name) {
        return params.get(name);
    }

    public Map<String, List<String>> query() {
        return uri().parameters();
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> v = uri().parameters().get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** What the route's authenticator returned, as {@code type} (null for routes without authentication). */
    public <T> T principal(Class<T> type) {
        return type.cast(principal);
    }

    /** The buffered body (empty when none was sent). */
    public byte[] body() {
        if (body == null) {
            throw new IllegalStateException("this route does not buffer its body");
        }
        return body;
    }

    /** The streamed body; the caller reads it off the event loop and closes it. */
    public InputStream bodyStream() {
        if (stream == null) {
            throw new IllegalStateException("this route does not stream its body");
        }
        return stream;
    }

    /** The connection (for its address and event loop). */
    public Channel channel() {
        return answers.channel();
    }

    /** Answers with {@code response}. */
    public void respond(Response response) {
        if (markAnswered()) {
            answers.respond(this, response);
        }
    }

    /** Answers with an error: an {@link HttpError} as it is, anything else as 500 INTERNAL (logged, never shown). */
    public void fail(Throwable failure) {
        if (markAnswered()) {
            answers.fail(this, failure);
        }
    }

    /** Answers with the outcome of {@code reply}. */
    public void complete(CompletionStage<Response> reply) {
        reply.whenComplete((r, e) -> {
            if (e != null) {
                fail(e);
            } else {
                respond(r);
            }
        });
    }

    /**
     * Writes {@code head} (a status and headers, with {@code Content-Length} or chunked
     * encoding) and returns the stream for its body.
     */
    public ResponseStream stream(HttpResponse head) {
        if (!markAnswered()) {
            throw new IllegalStateException("already answered");
        }
        return answers.startStream(this, head);
    }

    /**
     * Ends HTTP on this connection: adds {@code next} as the last handler, writes
     * {@code response} (a 101, encoded: status line, headers and the empty line; it is
     * written below the codec, as it is) and removes every handler of the HTTP stage,
     * so that only {@code next} (and TLS) remain. Call on the connection's event loop.
     */
    public void switchProtocols(ByteBuf response, String name, ChannelHandler next) {
        if (!markAnswered()) {
            response.release();
            throw new IllegalStateException("already answered");
        }
        answers.switchProtocols(response, name, next);
    }

    // ---- set up by the handler

    void route(Router.Route route, Map<String, String> params) {
        this.route = route;
        this.params = params;
    }

    Router.Route route() {
        return route;
    }

    void principal(Object principal) {
        this.principal = principal;
    }

    void body(byte[] body) {
        this.body = body;
    }

    void stream(RequestBody stream) {
        this.stream = stream;
    }

    RequestBody streamBody() {
        return stream;
    }

    boolean isAnswered() {
        return answered != 0;
    }
}

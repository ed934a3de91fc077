package dev.switchboard.app;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Serves the browser client of dev mode: {@code GET /} redirects to {@code /app/},
 * {@code /app/*} comes from the classpath folder {@code web/}. Every other request
 * goes to {@code next} (the REST API), which passes what it does not serve on
 * down the pipeline; so one extra-handler slot of the edge serves both.
 *
 * <p>The files are read once, when the handler is built: serving them never
 * blocks an event loop, and a path can only name one of them (no traversal).
 */
@Sharable
public final class WebAppHandler extends ChannelInboundHandlerAdapter {
    static final String PREFIX = "/app/";
    private static final String ROOT = "web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");
    // The page talks only to its own origin (REST and /ws); nothing inline, nothing from elsewhere.
    private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private record Asset(byte[] body, String type, String etag) {
    }

    private final Map<String, Asset> assets;
    private final ChannelInboundHandler next;

    /** Loads {@code web/} from this class's class loader; {@code next} gets every request not for the page. */
    public WebAppHandler(ChannelInboundHandler next) {
        this(load(WebAppHandler.class.getClassLoader()), next);
    }

    private WebAppHandler(Map<String, Asset> assets, ChannelInboundHandler next) {
        if (!assets.containsKey("index.html")) {
            throw new IllegalStateException("no web/index.html on the classpath");
        }
        this.assets = assets;
        this.next = next;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (!path.equals("/") && !path.equals("/app") && !path.startsWith(PREFIX)) {
            next.channelRead(ctx, msg);
            return;
        }
        try {
            ctx.writeAndFlush(respond(req, uri)).addListener(HttpUtil.isKeepAlive(req)
                    ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    private FullHttpResponse respond(FullHttpRequest req, QueryStringDecoder uri) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (!head && !req.method().equals(HttpMethod.GET)) {
            FullHttpResponse r = text(req, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        String path = uri.path();
        if (!path.startsWith(PREFIX)) {
            // "/" and "/app": the page, keeping the query so that ?token=... survives the hop.
            String query = req.uri().indexOf('?') >= 0 ? req.uri().substring(req.uri().indexOf('?')) : "";
            FullHttpResponse r = response(req, HttpResponseStatus.FOUND, new byte[0], null);
            r.headers().set(HttpHeaderNames.LOCATION, PREFIX + query);
            return r;
        }
        String name = path.substring(PREFIX.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        // The map holds only files under web/, but say clearly that ".." is refused rather than just missing.
        if (name.contains("..") || name.contains("\\") || name.startsWith("/")) {
            return text(req, HttpResponseStatus.BAD_REQUEST, "bad path\n");
        }
        Asset asset = assets.get(name);
        if (asset == null) {
            return text(req, HttpResponseStatus.NOT_FOUND, "no such file: " + path + "\n");
        }
        if (asset.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            FullHttpResponse r = response(req, HttpResponseStatus.NOT_MODIFIED, new byte[0], null);
            r.headers().set(HttpHeaderNames.ETAG, asset.etag()).set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            return r;
        }
        FullHttpResponse r = response(req, HttpResponseStatus.OK, head ? new byte[0] : asset.body(), asset.type());
        // no-cache: the browser keeps the file but asks every time (a rebuilt server serves new files at once);
        // the ETag makes that question cheap (304).
        r.headers().set(HttpHeaderNames.ETAG, asset.etag()).set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.CONTENT_LENGTH, asset.body().length);
        if (name.endsWith(".html")) {
            r.headers().set("Content-Security-Policy", CSP).set("Referrer-Policy", "no-referrer");
        }
        return r;
    }

    private static FullHttpResponse text(FullHttpRequest req, HttpResponseStatus status, String body) {
        return response(req, status, body.getBytes(StandardCharsets.UTF_8), TYPES.get("txt"));
    }

    private static FullHttpResponse response(FullHttpRequest req, HttpResponseStatus status, byte[] body, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length).set("X-Content-Type-Options", "nosniff");
        if (type != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        if (!HttpUtil.isKeepAlive(req)) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    /** Every file under {@code web/}, keyed by its path below it; from a directory (IDE, tests) or a jar. */
    static Map<String, Asset> load(ClassLoader loader) {
        URL root = loader.getResource(ROOT + "index.html");
        if (root == null) {
            throw new IllegalStateException("no web/index.html on the classpath");
        }
        Map<String, Asset> assets = new HashMap<>();
        try {
            if (root.getProtocol().equals("jar")) {
                JarURLConnection conn = (JarURLConnection) root.openConnection();
                conn.setUseCaches(false);
                try (JarFile jar = conn.getJarFile()) {
                    for (JarEntry e : jar.stream().toList()) {
                        if (!e.isDirectory() && e.getName().startsWith(ROOT)) {
                            try (InputStream in = jar.getInputStream(e)) {
                                add(assets, e.getName().substring(ROOT.length()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                Path dir = Path.of(root.toURI()).getParent();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        add(assets, dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Map.copyOf(assets);
    }

    private static void add(Map<String, Asset> assets, String name, byte[] body) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        String type = TYPES.getOrDefault(ext, "application/octet-stream");
        assets.put(name, new Asset(body, type, etag(body)));
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

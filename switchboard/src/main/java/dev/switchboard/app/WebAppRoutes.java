package dev.switchboard.app;

import dev.switchboard.http.Authenticator;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
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
 * The browser client of dev mode, as routes of the edge's public port:
 * {@code GET /} redirects to {@code /app/}, {@code /app/*} comes from the
 * classpath folder {@code web/}. The REST API's routes sit beside these on the
 * same port (one origin for the page, its REST calls and its WebSocket).
 *
 * <p>The files are read once, when the routes are built: serving them never
 * blocks an event loop, and a path can only name one of them (no traversal).
 */
public final class WebAppRoutes {
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

    /** Loads {@code web/} from this class's class loader. */
    public WebAppRoutes() {
        this(load(WebAppRoutes.class.getClassLoader()));
    }

    private WebAppRoutes(Map<String, Asset> assets) {
        if (!assets.containsKey("index.html")) {
            throw new IllegalStateException("no web/index.html on the classpath");
        }
        this.assets = assets;
    }

    public Router router() {
        return Router.builder()
                .get("/", Authenticator.NONE, this::toApp)
                .get("/app/{*file}", Authenticator.NONE, this::file)
                .build();
    }

    /** "/" and "/app": the page, keeping the query so that ?token=... survives the hop. */
    private void toApp(HttpExchange ex) {
        String uri = ex.request().uri();
        String query = uri.indexOf('?') >= 0 ? uri.substring(uri.indexOf('?')) : "";
        ex.respond(Response.empty(HttpResponseStatus.FOUND).header(HttpHeaderNames.LOCATION, PREFIX + query));
    }

    private void file(HttpExchange ex) {
        if (!ex.path().endsWith("/") && ex.pathParam("file").isEmpty()) {
            toApp(ex); // "/app": relative URLs of the page need the slash
            return;
        }
        String name = ex.pathParam("file");
        if (name.isEmpty()) {
            name = "index.html";
        }
        // The map holds only files under web/, but say clearly that ".." is refused rather than just missing.
        if (name.contains("..") || name.contains("\\") || name.startsWith("/")) {
            throw HttpError.badRequest("bad path");
        }
        Asset asset = assets.get(name);
        if (asset == null) {
            throw HttpError.notFound("no such file: " + ex.path());
        }
        if (asset.etag().equals(ex.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            ex.respond(Response.empty(HttpResponseStatus.NOT_MODIFIED)
                    .header(HttpHeaderNames.ETAG, asset.etag()).header(HttpHeaderNames.CACHE_CONTROL, "no-cache"));
            return;
        }
        // no-cache: the browser keeps the file but asks every time (a rebuilt server serves new files at once);
        // the ETag makes that question cheap (304).
        Response r = Response.of(HttpResponseStatus.OK, asset.body(), asset.type())
                .header(HttpHeaderNames.ETAG, asset.etag()).header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (name.endsWith(".html")) {
            r.header("Content-Security-Policy", CSP).header("Referrer-Policy", "no-referrer");
        }
        ex.respond(r);
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

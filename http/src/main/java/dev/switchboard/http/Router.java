package dev.switchboard.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The routes of one surface: method and path pattern to authentication, body
 * policy and handler. Patterns are {@code /}-separated segments: a literal, a
 * {@code {name}} that matches one segment, or a last {@code {*name}} that
 * matches the rest (possibly nothing). Empty segments are ignored, so
 * {@code //v1/x/} is {@code /v1/x}. The first route that matches wins; a path
 * that some route matches with another method gets 405 with {@code Allow}; a
 * HEAD request is served by the GET route. Immutable once built.
 */
public final class Router {
    private final List<Route> routes;

    private Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The matching route and its path parameters; 404 or 405 (with the allowed methods) otherwise. */
    Match match(HttpMethod method, String path) {
        int segments = countSegments(path);
        TreeSet<String> allowed = null;
        for (Route r : routes) {
            Map<String, String> params = r.match(path, segments);
            if (params == null) {
                continue;
            }
            if (r.method.equals(method) || (method.equals(HttpMethod.HEAD) && r.method.equals(HttpMethod.GET))) {
                return new Match(r, params);
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.add(r.method.name());
            if (r.method.equals(HttpMethod.GET)) {
                allowed.add(HttpMethod.HEAD.name());
            }
        }
        if (allowed != null) {
            throw new MethodNotAllowed(method, String.join(", ", allowed));
        }
        throw HttpError.notFound("no such endpoint: " + path);
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    out.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** How many non-empty {@code /}-separated segments {@code path} has. */
    static int countSegments(String path) {
        int n = 0;
        for (int i = 0; i < path.length(); i = segmentEnd(path, i)) {
            i = segmentStart(path, i);
            if (i < path.length()) {
                n++;
            }
        }
        return n;
    }

    /** Where the next non-empty segment at or after {@code from} starts (the path's length if none). */
    static int segmentStart(String path, int from) {
        int i = from;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return i;
    }

    /** Where the segment starting at {@code start} ends (the next {@code /} or the path's end). */
    static int segmentEnd(String path, int start) {
        int end = path.indexOf('/', start);
        return end < 0 ? path.length() : end;
    }

    /** A route found for a request. */
    record Match(Route route, Map<String, String> params) {
    }

    /** 405: the path exists with other methods, named by {@code Allow}. */
    static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String allow;

        MethodNotAllowed(HttpMethod method, String allow) {
            super(method + " is not allowed here; use " + allow, null, false, false);
            this.allow = allow;
        }

        HttpError error() {
            return HttpError.of(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpError.METHOD_NOT_ALLOWED, getMessage());
        }
    }

    /** One route. */
    static final class Route {
        final HttpMethod method;
        final String pattern;
        final List<String> parts;
        final boolean rest;
        /** Each segment's parameter name, null for a literal. */
        private final String[] names;
        final Authenticator auth;
        final Body body;
        final Handler handler;

        Route(HttpMethod method, String pattern, Authenticator auth, Body body, Handler handler) {
            this.method = Objects.requireNonNull(method, "method");
            this.pattern = Objects.requireNonNull(pattern, "pattern");
            this.auth = Objects.requireNonNull(auth, "auth");
            this.body = Objects.requireNonNull(body, "body");
            this.handler = Objects.requireNonNull(handler, "handler");
            List<String> p = segments(pattern);
            this.rest = !p.isEmpty() && p.getLast().startsWith("{*");
            for (int i = 0; i < p.size(); i++) {
                String s = p.get(i);
                if (s.startsWith("{*") && i != p.size() - 1) {
                    throw new IllegalArgumentException("{*name} must be the last segment: " + pattern);
                }
                if (s.startsWith("{") != s.endsWith("}")) {
                    throw new IllegalArgumentException("bad segment " + s + " in " + pattern);
                }
            }
            this.parts = p;
            this.names = new String[p.size()];
            for (int i = 0; i < p.size(); i++) {
                String s = p.get(i);
                if (s.startsWith("{*")) {
                    names[i] = s.substring(2, s.length() - 1);
                } else if (s.startsWith("{")) {
                    names[i] = s.substring(1, s.length() - 1);
                }
            }
        }

        /**
         * The parameters when {@code path} (of {@code segments} non-empty segments) matches, else null;
         * read in place: nothing is allocated for a route that does not match or has no parameters.
         */
        Map<String, String> match(String path, int segments) {
            int fixed = rest ? parts.size() - 1 : parts.size();
            if (rest ? segments < fixed : segments != fixed) {
                return null;
            }
            Map<String, String> params = null;
            int pos = 0;
            for (int i = 0; i < fixed; i++) {
                int start = segmentStart(path, pos);
                pos = segmentEnd(path, start);
                String name = names[i];
                if (name != null) {
                    if (params == null) {
                        params = new LinkedHashMap<>(4);
                    }
                    params.put(name, path.substring(start, pos));
                } else {
                    String p = parts.get(i);
                    if (p.length() != pos - start || !path.startsWith(p, start)) {
                        return null;
                    }
                }
            }
            if (rest) {
                if (params == null) {
                    params = new LinkedHashMap<>(2);
                }
                StringBuilder tail = new StringBuilder();
                for (int start = segmentStart(path, pos); start < path.length(); start = segmentStart(path, pos)) {
                    pos = segmentEnd(path, start);
                    if (!tail.isEmpty()) {
                        tail.append('/');
                    }
                    tail.append(path, start, pos);
                }
                params.put(names[fixed], tail.toString());
            }
            return params == null ? Map.of() : params;
        }
    }

    /** Collects routes in order of precedence. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        public Builder route(HttpMethod method, String pattern, Authenticator auth, Body body, Handler handler) {
            routes.add(new Route(method, pattern, auth, body, handler));
            return this;
        }

        /** A GET route (HEAD too) without a body. */
        public Builder get(String pattern, Authenticator auth, Handler handler) {
            return route(HttpMethod.GET, pattern, auth, Body.none(), handler);
        }

        /** A POST route with a buffered body of the server's default limit. */
        public Builder post(String pattern, Authenticator auth, Handler handler) {
            return route(HttpMethod.POST, pattern, auth, Body.buffered(), handler);
        }

        /** Every route of {@code other}, after the ones added so far. */
        public Builder include(Router other) {
            routes.addAll(other.routes);
            return this;
        }

        public Router build() {
            return new Router(routes);
        }
    }
}

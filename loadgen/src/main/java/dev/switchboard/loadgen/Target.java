package dev.switchboard.loadgen;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One server to drive: the protocol it speaks and its WebSocket URL. Given as
 * {@code --target PROTOCOL=URL}, e.g. {@code switchboard=ws://127.0.0.1:8080/ws} or
 * {@code pusher=ws://127.0.0.1:6001/app/app-key} or {@code uws=ws://127.0.0.1:7001/} (the uWebSockets.js
 * comparison server's mini protocol).
 */
public record Target(ProtocolKind protocol, URI url) {
    public enum ProtocolKind {
        SWITCHBOARD, PUSHER, UWS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Target {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(url, "url");
        if (!"ws".equals(url.getScheme())) {
            throw new IllegalArgumentException("only ws:// URLs are supported (plain loopback load): " + url);
        }
        if (url.getHost() == null || url.getPort() < 1) {
            throw new IllegalArgumentException("a target URL needs a host and an explicit port: " + url);
        }
    }

    /** Parses {@code PROTOCOL=URL}. */
    public static Target parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("target must be PROTOCOL=URL, e.g. switchboard=ws://127.0.0.1:8080/ws: " + spec);
        }
        ProtocolKind kind;
        try {
            kind = ProtocolKind.valueOf(spec.substring(0, eq).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + spec.substring(0, eq).trim() + "' in target " + spec
                    + ": switchboard, pusher or uws");
        }
        return new Target(kind, URI.create(spec.substring(eq + 1).trim()));
    }

    /** The label of this target in reports (its protocol; targets of one run have distinct protocols). */
    public String label() {
        return protocol.id();
    }

    @Override
    public String toString() {
        return protocol.id() + "=" + url;
    }
}

package dev.switchboard.message.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Set;

/**
 * The paths this service owns under {@code /v1/}, by shape. A path that matches
 * none is not ours: the handler passes the request on (in dev mode the edge
 * shares the port).
 */
enum ChatRoutes {
    USERS(Set.of(HttpMethod.POST)),
    CHANNELS(Set.of(HttpMethod.POST)),
    DMS(Set.of(HttpMethod.POST)),
    MY_CHANNELS(Set.of(HttpMethod.GET)),
    CHANNEL(Set.of(HttpMethod.GET)),
    MEMBERS(Set.of(HttpMethod.POST)),
    MEMBER(Set.of(HttpMethod.DELETE)),
    MEMBERSHIP(Set.of(HttpMethod.PATCH)),
    MESSAGES(Set.of(HttpMethod.GET, HttpMethod.POST)),
    READ(Set.of(HttpMethod.PUT)),
    DEVICES(Set.of(HttpMethod.GET, HttpMethod.POST)),
    DEVICE(Set.of(HttpMethod.DELETE)),
    MEDIA(Set.of(HttpMethod.POST)),
    MEDIA_ITEM(Set.of(HttpMethod.GET)),
    MESSAGE(Set.of(HttpMethod.PATCH, HttpMethod.DELETE)),
    REACTION(Set.of(HttpMethod.PUT, HttpMethod.DELETE)),
    REPLIES(Set.of(HttpMethod.GET)),
    EVENTS(Set.of(HttpMethod.GET));

    private final Set<HttpMethod> methods;

    ChatRoutes(Set<HttpMethod> methods) {
        this.methods = methods;
    }

    boolean allows(HttpMethod method) {
        return methods.contains(method);
    }

    String allowHeader() {
        return String.join(", ", methods.stream().map(HttpMethod::name).sorted().toList());
    }

    /** The route of a path's segments ({@code /v1/channels/7/messages} → v1, channels, 7, messages), or null. */
    static ChatRoutes match(List<String> s) {
        if (s.size() < 2 || !s.get(0).equals("v1")) {
            return null;
        }
        String top = s.get(1);
        return switch (s.size()) {
            case 2 -> switch (top) {
                case "users" -> USERS;
                case "channels" -> CHANNELS;
                case "dms" -> DMS;
                case "media" -> MEDIA;
                default -> null;
            };
            case 3 -> top.equals("me") ? switch (s.get(2)) {
                case "channels" -> MY_CHANNELS;
                case "devices" -> DEVICES;
                default -> null;
            } : top.equals("channels") ? CHANNEL : top.equals("media") ? MEDIA_ITEM : null;
            case 4 -> top.equals("me") ? (s.get(2).equals("devices") ? DEVICE : null)
                    : !top.equals("channels") ? null : switch (s.get(3)) {
                case "members" -> MEMBERS;
                case "membership" -> MEMBERSHIP;
                case "messages" -> MESSAGES;
                case "read" -> READ;
                case "events" -> EVENTS;
                default -> null;
            };
            case 5 -> !top.equals("channels") ? null : switch (s.get(3)) {
                case "members" -> MEMBER;
                case "messages" -> MESSAGE;
                default -> null;
            };
            case 6 -> top.equals("channels") && s.get(3).equals("messages") && s.get(5).equals("replies")
                    ? REPLIES : null;
            case 7 -> top.equals("channels") && s.get(3).equals("messages") && s.get(5).equals("reactions")
                    ? REACTION : null;
            default -> null;
        };
    }
}

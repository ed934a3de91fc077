package dev.switchboard.app;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.MessageServiceResources;
import dev.switchboard.http.Router;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.http.ChatApi;
import dev.switchboard.message.http.RequestAuthenticator;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.edge.presence.MemoryPresenceStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The whole system in one JVM (dev mode, and end-to-end tests): an edge node
 * whose public port also serves the message-service REST API and the web
 * client (routes of the shared HTTP layer beside {@code /ws}), the
 * message-service on an embedded (or any) database, and one broker between
 * them. Production runs the same classes as separate processes.
 */
public final class DevSystem implements AutoCloseable {
    private final MessageServiceResources messages;
    private final EdgeServer edge;

    private DevSystem(MessageServiceResources messages, EdgeServer edge) {
        this.messages = messages;
        this.edge = edge;
    }

    /**
     * Starts the system. {@code media} says where uploads go; {@code push} where
     * offline notifications go ({@link PushOptions#disabled()} for none). Presence is
     * shared in memory: the edge writes the leases, the message-service reads them to
     * decide who is offline for pushes.
     */
    public static DevSystem start(EdgeServerOptions edgeOptions, DatabaseOptions database, Broker broker,
                                  String jwtSecret, String apiKey, MeterRegistry registry,
                                  MediaOptions media, PushOptions push) throws InterruptedException {
        return start(edgeOptions, database, broker, jwtSecret, new ApiKeys(List.of(apiKey)), registry, media, push);
    }

    /**
     * As the other overload, with the keys the REST API and the server API accept
     * ({@code keys}; the server API never takes the internal credential among them).
     */
    public static DevSystem start(EdgeServerOptions edgeOptions, DatabaseOptions database, Broker broker,
                                  String jwtSecret, ApiKeys keys, MeterRegistry registry,
                                  MediaOptions media, PushOptions push) throws InterruptedException {
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(jwtSecret).build();
        MemoryPresenceStore presence = new MemoryPresenceStore(EdgeServer.DEFAULT_PRESENCE_TTL);
        OnlineUsers online = new LeaseOnlineUsers(presence);
        MessageServiceResources messages = MessageServiceResources.builder(database, broker, registry)
                .chat(ChatServiceOptions.defaults()).push(push).media(media).onlineUsers(online).open();
        try {
            Router routes = Router.builder()
                    .include(new WebAppRoutes().router())
                    .include(new ChatApi(messages.chat(), messages.media(), new RequestAuthenticator(verifier, keys),
                            MessageServerOptions.DEFAULT_MAX_JSON_BYTES).router())
                    .build();
            EdgeServer edge = EdgeServer.builder(edgeOptions).tokenVerifier(verifier).apiKeys(keys).broker(broker)
                    .chatBackend(new InProcessChatBackend(messages.chat())).presenceStore(presence)
                    .extraRoutes(routes, ChatApi.errors()).meterRegistry(registry).start();
            return new DevSystem(messages, edge);
        } catch (Exception e) { // also a failed bind: an IOException that Netty's sync() throws undeclared
            messages.close();
            throw e;
        }
    }

    /** Without uploads or push notifications. */
    public static DevSystem start(EdgeServerOptions edgeOptions, DatabaseOptions database, Broker broker,
                                  String jwtSecret, String apiKey, MeterRegistry registry) throws InterruptedException {
        return start(edgeOptions, database, broker, jwtSecret, apiKey, registry, MediaOptions.disabled(), PushOptions.disabled());
    }

    public EdgeServer edge() {
        return edge;
    }

    public ChatService chat() {
        return messages.chat();
    }

    @Override
    public void close() {
        edge.close();
        messages.close();
    }
}

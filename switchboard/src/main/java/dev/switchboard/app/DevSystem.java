package dev.switchboard.app;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.bridge.Broker;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.message.ChatService;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.MessageServiceResources;
import dev.switchboard.message.http.ChatHttpHandler;
import dev.switchboard.message.http.RequestAuthenticator;
import dev.switchboard.message.store.DatabaseOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The whole system in one JVM (dev mode, and end-to-end tests): an edge node
 * whose public port also serves the message-service REST API, the
 * message-service on an embedded (or any) database, and one broker between
 * them. Production runs the same classes as separate processes.
 */
public final class DevSystem implements AutoCloseable {
    /** Largest REST request body on the shared port. */
    public static final int MAX_REST_BODY = 1024 * 1024;

    private final MessageServiceResources messages;
    private final EdgeServer edge;

    private DevSystem(MessageServiceResources messages, EdgeServer edge) {
        this.messages = messages;
        this.edge = edge;
    }

    public static DevSystem start(EdgeServerOptions edgeOptions, DatabaseOptions database, Broker broker,
                                  String jwtSecret, String apiKey, MeterRegistry registry) throws InterruptedException {
        TokenVerifier verifier = TokenVerifier.builder().hs256Secret(jwtSecret).build();
        ApiKeys keys = new ApiKeys(List.of(apiKey));
        MessageServiceResources messages = MessageServiceResources.open(database, ChatServiceOptions.defaults(), broker, registry);
        try {
            ChatHttpHandler rest = new ChatHttpHandler(messages.chat(), new RequestAuthenticator(verifier, keys));
            EdgeServer edge = EdgeServer.builder(edgeOptions).tokenVerifier(verifier).apiKeys(keys).broker(broker)
                    .chatBackend(new InProcessChatBackend(messages.chat()))
                    .extraHttpHandler(rest, MAX_REST_BODY).meterRegistry(registry).start();
            return new DevSystem(messages, edge);
        } catch (InterruptedException | RuntimeException e) {
            messages.close();
            throw e;
        }
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

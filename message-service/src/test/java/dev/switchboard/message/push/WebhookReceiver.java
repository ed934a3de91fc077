package dev.switchboard.message.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

/**
 * A real HTTP push gateway for tests: records every POSTed notification with its
 * arrival time, and answers with the status that {@code statusFor} picks for it.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Received(JsonNode body, String authorization, long atNanos) {
        public String token() {
            return body.get("token").asText();
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    public WebhookReceiver(ToIntFunction<JsonNode> statusFor) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/push", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = JSON.readTree(in.readAllBytes());
                received.add(new Received(body, exchange.getRequestHeaders().getFirst("Authorization"),
                        System.nanoTime()));
                exchange.sendResponseHeaders(statusFor.applyAsInt(body), -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/push");
    }

    public List<Received> forToken(String token) {
        return received.stream().filter(r -> r.token().equals(token)).toList();
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package dev.switchboard.message.http;

import dev.switchboard.http.Authenticator;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import dev.switchboard.message.store.DatabaseProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Operations endpoints of the standalone message-service, without auth like the
 * edge's and the balancer's: {@code GET /healthz} (200 {@code {"status":"ok"}}
 * while the database answers, 503 {@code {"status":"unhealthy","reason":...}}
 * while it does not: a service that cannot read or write messages is not
 * healthy; with messages in Cassandra, also while the session cannot reach a
 * LOCAL_QUORUM of the ring) and {@code GET /metrics} (Prometheus text, when the registry is a
 * Prometheus one).
 */
public final class OperationsRoutes {
    private final MeterRegistry registry;
    private final DatabaseProbe database;
    private final Supplier<String> messageBackend;

    public OperationsRoutes(MeterRegistry registry, DatabaseProbe database) {
        this(registry, database, () -> null);
    }

    /** {@code messageBackend}: why the message backend cannot serve, or null (called on the event loop). */
    public OperationsRoutes(MeterRegistry registry, DatabaseProbe database, Supplier<String> messageBackend) {
        this.registry = registry;
        this.database = database;
        this.messageBackend = messageBackend;
    }

    public Router router() {
        return Router.builder()
                .get("/healthz", Authenticator.NONE, this::health)
                .get("/metrics", Authenticator.NONE, this::metrics)
                .build();
    }

    private void health(HttpExchange ex) {
        database.check().whenComplete((dbReason, e) -> {
            String reason = dbReason == null && e == null ? messageBackend.get() : dbReason;
            if (reason == null && e == null) {
                ex.respond(Response.ok(Map.of("status", "ok")));
                return;
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", "unhealthy");
            body.put("reason", reason != null ? reason : "the database check failed");
            ex.respond(Response.json(HttpResponseStatus.SERVICE_UNAVAILABLE, body).header("Retry-After", 1));
        });
    }

    private void metrics(HttpExchange ex) {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            throw HttpError.notFound("no Prometheus registry configured");
        }
        ex.respond(Response.of(HttpResponseStatus.OK, prometheus.scrape().getBytes(StandardCharsets.UTF_8),
                "text/plain; version=0.0.4; charset=utf-8"));
    }
}

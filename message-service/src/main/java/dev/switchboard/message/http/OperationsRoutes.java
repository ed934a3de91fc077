package dev.switchboard.message.http;

import dev.switchboard.http.Authenticator;
import dev.switchboard.http.HttpError;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.Response;
import dev.switchboard.http.Router;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Operations endpoints of the standalone message-service, without auth like the
 * edge's and the balancer's: {@code GET /healthz} and {@code GET /metrics}
 * (Prometheus text, when the registry is a Prometheus one).
 */
public final class OperationsRoutes {
    private final MeterRegistry registry;

    public OperationsRoutes(MeterRegistry registry) {
        this.registry = registry;
    }

    public Router router() {
        return Router.builder()
                .get("/healthz", Authenticator.NONE, this::health)
                .get("/metrics", Authenticator.NONE, this::metrics)
                .build();
    }

    private void health(HttpExchange ex) {
        ex.respond(Response.ok(Map.of("status", "ok")));
    }

    private void metrics(HttpExchange ex) {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            throw HttpError.notFound("no Prometheus registry configured");
        }
        ex.respond(Response.of(HttpResponseStatus.OK, prometheus.scrape().getBytes(StandardCharsets.UTF_8),
                "text/plain; version=0.0.4; charset=utf-8"));
    }
}

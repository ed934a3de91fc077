package dev.switchboard.message.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminHandlerTest {
    @Test
    void servesHealthAndPrometheusMetricsAndPassesTheRestOn() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("switchboard.chat.sends").register(registry).increment();
        EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(registry));

        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/metrics"));
        FullHttpResponse metrics = ch.readOutbound();
        assertEquals(200, metrics.status().code());
        assertTrue(metrics.content().toString(StandardCharsets.UTF_8).contains("switchboard_chat_sends_total 1.0"));
        metrics.release();

        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz"));
        FullHttpResponse health = ch.readOutbound();
        assertEquals(200, health.status().code());
        health.release();

        FullHttpRequest other = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/me/channels");
        ch.writeInbound(other);
        FullHttpRequest passed = ch.readInbound();
        assertSame(other, passed, "requests for the API pass on untouched");
        passed.release();
        assertFalse(ch.finish());
    }
}

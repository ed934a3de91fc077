package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import co.elastic.logging.logback.EcsEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in logging setup, on a context of its own (the tests' own logging is logback-test.xml). */
class LogSetupTest {
    private static LoggerContext installed(Map<String, String> env) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        LogSetup.install(context, env::get);
        return context;
    }

    private static ConsoleAppender<ILoggingEvent> out(LoggerContext context) {
        return (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OUT");
    }

    private static String encode(LoggerContext context, Level level, String logger, String message, Throwable error) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, error, null);
        event.setThreadName("edge-1");
        return new String(out(context).getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void textLinesWithOurLoggersAtInfoAndTheRestAtWarn() {
        LoggerContext context = installed(Map.of());
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertTrue(context.getLogger("dev.switchboard.edge.Hub").isInfoEnabled());
        assertFalse(context.getLogger("dev.switchboard.edge.Hub").isDebugEnabled());
        assertFalse(context.getLogger("io.netty.channel.Foo").isInfoEnabled());
        assertTrue(context.getLogger("io.netty.channel.Foo").isWarnEnabled());
        String line = encode(context, Level.INFO, "dev.switchboard.edge.EdgeServer", "listening on 8080", null);
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[edge-1] d\\.s\\.edge\\.EdgeServer - listening on 8080\\R"), line);
        assertTrue(out(context).isStarted());
        context.stop();
    }

    @Test
    void theLevelComesFromTheEnvironmentAndAnUnknownOneIsInfo() {
        LoggerContext debug = installed(Map.of(LogSetup.LEVEL_ENV, "debug"));
        assertTrue(debug.getLogger("dev.switchboard.edge.Hub").isDebugEnabled());
        assertFalse(debug.getLogger("io.lettuce.core.Foo").isInfoEnabled());
        LoggerContext unknown = installed(Map.of(LogSetup.LEVEL_ENV, "chatty"));
        assertEquals(Level.INFO, unknown.getLogger("dev.switchboard").getLevel());
        debug.stop();
        unknown.stop();
    }

    @Test
    void jsonLinesInTheElasticCommonSchema() throws Exception {
        LoggerContext context = installed(Map.of(LogSetup.FORMAT_ENV, "json"));
        assertInstanceOf(EcsEncoder.class, out(context).getEncoder());
        String line = encode(context, Level.ERROR, "dev.switchboard.cli.Main", "cannot start",
                new IllegalStateException("port in use"));
        assertEquals(1, line.strip().lines().count(), line);
        JsonNode event = new ObjectMapper().readTree(line);
        assertEquals("ERROR", event.path("log.level").asText());
        assertEquals("dev.switchboard.cli.Main", event.path("log.logger").asText());
        assertEquals("cannot start", event.path("message").asText());
        assertEquals("edge-1", event.path("process.thread.name").asText());
        assertEquals("java.lang.IllegalStateException", event.path("error.type").asText());
        assertEquals("port in use", event.path("error.message").asText());
        assertTrue(event.path("@timestamp").asText().endsWith("Z"), line);
        context.stop();
    }

    @Test
    void theFormatIsJsonOnlyWhenSaidSo() {
        assertTrue(LogSetup.json(Map.of(LogSetup.FORMAT_ENV, "JSON")::get));
        assertFalse(LogSetup.json(Map.of(LogSetup.FORMAT_ENV, "text")::get));
        assertFalse(LogSetup.json(Map.<String, String>of()::get));
    }
}

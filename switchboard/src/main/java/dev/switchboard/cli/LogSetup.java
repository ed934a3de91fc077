package dev.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import co.elastic.logging.logback.EcsEncoder;
import java.util.function.Function;

/**
 * The launcher's logging, set up in code instead of an XML file: Logback's XML
 * configurator loads an XML parser and its own model classes (~500 classes, a few
 * MB of RSS and of the ahead-of-time cache at start; docs/benchmarks.md), for a
 * configuration of three lines. Found by Logback through {@code META-INF/services}.
 *
 * <ul>
 *   <li>Format: plain text lines ({@value #PATTERN}), or with
 *       {@code SWITCHBOARD_LOG_FORMAT=json} (or {@code -Dswitchboard.log.format=json},
 *       what the container images set) one JSON object per line in the Elastic
 *       Common Schema (ECS 1.x): {@code @timestamp}, {@code log.level},
 *       {@code log.logger}, {@code message}, {@code process.thread.name},
 *       {@code service.name} (switchboard-edge, ...), {@code service.version}, and
 *       {@code error.*} for a failure; what Elasticsearch, OpenSearch, Loki and most
 *       log shippers parse as is.</li>
 *   <li>Levels: {@code dev.switchboard} at {@code SWITCHBOARD_LOG_LEVEL} (INFO by
 *       default), everything else at WARN.</li>
 *   <li>An operator's own file ({@code -Dlogback.configurationFile=...}) takes
 *       precedence, and so does a {@code logback-test.xml} on the class path
 *       unless a format was asked for: this configurator then steps aside for
 *       Logback's own.</li>
 * </ul>
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    static final String FORMAT_PROPERTY = "switchboard.log.format";
    static final String FORMAT_ENV = "SWITCHBOARD_LOG_FORMAT";
    static final String LEVEL_ENV = "SWITCHBOARD_LOG_LEVEL";

    /** Whether logs are JSON lines: the system property, else the environment variable, says "json". */
    static boolean json(Function<String, String> env) {
        return "json".equalsIgnoreCase(format(env));
    }

    /** The format asked for: the system property, else the environment variable; null if neither says. */
    private static String format(Function<String, String> env) {
        String format = System.getProperty(FORMAT_PROPERTY);
        return format != null ? format : env.apply(FORMAT_ENV);
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean asked = format(System::getenv) != null;
        if (System.getProperty("logback.configurationFile") != null
                || !asked && LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context, System::getenv);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets {@code context} up as the class comment says, reading the environment from {@code env}. */
    static void install(LoggerContext context, Function<String, String> env) {
        Encoder<ILoggingEvent> encoder = json(env) ? ecs(context) : text(context);
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(out);
        context.getLogger("dev.switchboard").setLevel(Level.toLevel(env.apply(LEVEL_ENV), Level.INFO));
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> ecs(LoggerContext context) {
        EcsEncoder encoder = new EcsEncoder();
        encoder.setContext(context);
        // Main sets both before the first logger exists.
        encoder.setServiceName(System.getProperty("switchboard.component", "switchboard"));
        encoder.setServiceVersion(System.getProperty("switchboard.version", ""));
        encoder.start();
        return encoder;
    }
}

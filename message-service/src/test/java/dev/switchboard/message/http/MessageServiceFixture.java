package dev.switchboard.message.http;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.UnaryOperator;

/**
 * The message-service of an HTTP test class: a fresh PostgreSQL database, a
 * recording broker, and servers on them (loopback, any port, a pool of 4,
 * HS256 tokens with the class's secret, the class's API keys). Closing it
 * stops the class's server, the broker and the database.
 */
final class MessageServiceFixture implements AutoCloseable {
    final PostgresDatabase pg = new PostgresDatabase();
    final RecordingBroker broker = new RecordingBroker();
    private final String secret;
    private final ApiKeys keys;
    private MessageServer server;

    MessageServiceFixture(String secret, ApiKeys keys) {
        this.secret = secret;
        this.keys = keys;
    }

    /** Starts the class's server, with {@code options} applied to the defaults above; {@link #close} stops it. */
    MessageServer serve(UnaryOperator<MessageServerOptions.Builder> options) throws InterruptedException {
        server = start(options);
        return server;
    }

    /** Starts another server on the same database and broker; the caller closes it. */
    MessageServer start(UnaryOperator<MessageServerOptions.Builder> options) throws InterruptedException {
        MessageServerOptions.Builder b = MessageServerOptions.builder().host("127.0.0.1").port(0)
                .database(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build());
        return MessageServer.start(options.apply(b).build(), broker.broker(),
                TokenVerifier.builder().hs256Secret(secret).build(), keys, new SimpleMeterRegistry());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        broker.close();
        pg.close();
    }
}

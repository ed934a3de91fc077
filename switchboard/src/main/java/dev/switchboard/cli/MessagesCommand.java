package dev.switchboard.cli;

import dev.switchboard.bridge.Broker;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.store.DatabaseOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard messages}: the message-service in production (PostgreSQL, Redis). */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "Run the message-service: users, channels, membership and durable messages (REST on --port).")
final class MessagesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "REST port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--db", required = true, defaultValue = "${env:SWITCHBOARD_DB_URL}",
            description = "JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/switchboard?user=switchboard (default: $SWITCHBOARD_DB_URL).")
    String db;

    @Option(names = "--db-pool-size", defaultValue = "10", description = "Database connections (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Mixin
    BrokerOption broker = new BrokerOption();

    @Override
    public Integer call() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Broker brk = broker.create(registry);
        MessageServerOptions options = MessageServerOptions.builder().host(host).port(port)
                .database(DatabaseOptions.builder().jdbcUrl(db).poolSize(poolSize).build())
                .chat(ChatServiceOptions.defaults()).build();
        MessageServer server = MessageServer.start(options, brk, auth.verifier(spec.commandLine()),
                auth.apiKeys(spec.commandLine()), registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            brk.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}

package dev.switchboard.cli;

import dev.switchboard.bridge.Broker;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.presence.RedisOnlineUsers;
import dev.switchboard.message.push.PushOptions;
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

    @Option(names = "--presence-redis", defaultValue = "${env:SWITCHBOARD_PRESENCE_REDIS}",
            description = "Redis holding the edge nodes' presence leases (default: --redis when it names one Redis); without it everyone counts as offline for pushes.")
    String presenceRedis;

    @Option(names = "--push-webhook", paramLabel = "URL", defaultValue = "${env:SWITCHBOARD_PUSH_WEBHOOK}",
            description = "Push gateway: offline notifications (APNs/FCM-shaped) are POSTed here; none by default.")
    java.net.URI pushWebhook;

    @Option(names = "--push-webhook-token", defaultValue = "${env:SWITCHBOARD_PUSH_WEBHOOK_TOKEN}",
            description = "Bearer token sent to the push webhook.")
    String pushWebhookToken;

    @Option(names = "--media-dir", paramLabel = "DIR", description = "Store uploads in this directory (single node or shared volume).")
    java.nio.file.Path mediaDir;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Store uploads in an S3-compatible bucket at this endpoint.")
    java.net.URI s3Endpoint;

    @Option(names = "--s3-bucket", description = "S3 bucket for uploads.")
    String s3Bucket;

    @Option(names = "--s3-region", defaultValue = "us-east-1", description = "S3 region (default: ${DEFAULT-VALUE}).")
    String s3Region;

    @Option(names = "--s3-access-key", defaultValue = "${env:SWITCHBOARD_S3_ACCESS_KEY}", description = "S3 access key.")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", defaultValue = "${env:SWITCHBOARD_S3_SECRET_KEY}", description = "S3 secret key.")
    String s3SecretKey;

    @Option(names = "--media-max-bytes", defaultValue = "10485760", description = "Largest upload (default: ${DEFAULT-VALUE}).")
    long mediaMaxBytes;

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Mixin
    BrokerOption broker = new BrokerOption();

    private PushOptions push() {
        if (pushWebhook == null) {
            return PushOptions.disabled();
        }
        PushOptions.Builder b = PushOptions.builder().webhookUrl(pushWebhook);
        if (pushWebhookToken != null && !pushWebhookToken.isBlank()) {
            b.webhookToken(pushWebhookToken);
        }
        return b.build();
    }

    private MediaOptions media() {
        if (s3Endpoint != null) {
            return MediaOptions.builder().store(MediaOptions.Store.S3)
                    .s3(s3Endpoint, s3Bucket, s3Region, s3AccessKey, s3SecretKey).maxBytes(mediaMaxBytes).build();
        }
        if (mediaDir != null) {
            return MediaOptions.builder().store(MediaOptions.Store.FILESYSTEM).directory(mediaDir).maxBytes(mediaMaxBytes).build();
        }
        return MediaOptions.disabled();
    }

    @Override
    public Integer call() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        dev.switchboard.balancer.cli.JvmMeters.bindTo(registry);
        Broker brk = broker.create(registry);
        MessageServerOptions options = MessageServerOptions.builder().host(host).port(port)
                .database(DatabaseOptions.builder().jdbcUrl(db).poolSize(poolSize).build())
                .chat(ChatServiceOptions.defaults()).push(push()).media(media()).build();
        String presenceUri = presenceRedis != null && !presenceRedis.isBlank() ? presenceRedis : broker.singleRedis();
        OnlineUsers online = presenceUri == null ? OnlineUsers.NONE
                : RedisOnlineUsers.connect(presenceUri, java.time.Duration.ofSeconds(2), java.time.Clock.systemUTC());
        MessageServer server = MessageServer.start(options, brk, online, auth.verifier(spec.commandLine()),
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

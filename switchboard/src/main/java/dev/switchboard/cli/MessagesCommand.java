package dev.switchboard.cli;

import dev.switchboard.bridge.Broker;
import dev.switchboard.cli.config.Validating;
import dev.switchboard.message.ChatServiceOptions;
import dev.switchboard.message.MessageServer;
import dev.switchboard.message.MessageServerOptions;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.presence.RedisOnlineUsers;
import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard messages}: the message-service in production (PostgreSQL, Redis). */
@Command(name = "messages",
        description = "Run the message-service: users, channels, membership and durable messages (REST on --port).")
final class MessagesCommand implements Callable<Integer>, Validating {
    /** The options objects' fields whose options are named otherwise. */
    private static final Map<String, String> FIELDS = Map.of("jdbcUrl", "--db", "poolSize", "--db-pool-size",
            "maxBytes", "--media-max-bytes", "webhookUrl", "--push-webhook");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "REST port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--io-threads", defaultValue = "" + MessageServerOptions.DEFAULT_IO_THREADS,
            description = "Event loop threads of the REST server (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--db", required = true, defaultValue = "${env:SWITCHBOARD_DB_URL}",
            description = "JDBC URL of the relational database: users, channels, memberships, devices, media, and"
                    + " messages unless --messages-db puts them elsewhere;"
                    + " e.g. jdbc:postgresql://127.0.0.1:5432/switchboard?user=switchboard.")
    String db;

    @Option(names = "--messages-db", paramLabel = "URI", defaultValue = "${env:SWITCHBOARD_MESSAGES_DB}",
            description = "Keep messages in Apache Cassandra instead of --db (which still holds users, channels and"
                    + " memberships): cassandra://host1[:port],host2[:port]/keyspace[?dc=datacenter1&rf=3&bucket=1000"
                    + "&timeout=5000&migrate=true]. Default: messages in --db. See docs/operations.md.")
    String messagesDb;

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
    InternalKeyOption internal = new InternalKeyOption();

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
            if (s3Bucket == null || s3AccessKey == null || s3SecretKey == null) {
                throw OptionProblems.of(spec, "--s3-endpoint", "needs --s3-bucket, --s3-access-key and --s3-secret-key", null);
            }
            return MediaOptions.builder().store(MediaOptions.Store.S3)
                    .s3(s3Endpoint, s3Bucket, s3Region, s3AccessKey, s3SecretKey).maxBytes(mediaMaxBytes).build();
        }
        if (mediaDir != null) {
            return MediaOptions.builder().store(MediaOptions.Store.FILESYSTEM).directory(mediaDir).maxBytes(mediaMaxBytes).build();
        }
        return MediaOptions.disabled();
    }

    /** The service's options on database {@code jdbcUrl}; a ParameterException names the option that is wrong. */
    MessageServerOptions options(String jdbcUrl) {
        if (CassandraOptions.isCassandra(jdbcUrl)) {
            throw OptionProblems.of(spec, "--db", "'" + Startup.mask(jdbcUrl) + "' is a Cassandra URI, but --db is the"
                    + " relational database that keeps users, channels and memberships (jdbc:postgresql://...);"
                    + " give the Cassandra URI as --messages-db beside it", null);
        }
        CassandraOptions messages = messagesStore();
        DatabaseOptions database;
        try {
            database = DatabaseOptions.builder().jdbcUrl(jdbcUrl).poolSize(poolSize).build();
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("poolSize") ? OptionProblems.of(spec, e, FIELDS)
                    : OptionProblems.of(spec, "--db", e.getMessage(), e);
        }
        try {
            return MessageServerOptions.builder().host(host).port(port).ioThreads(ioThreads).database(database)
                    .messages(messages).chat(ChatServiceOptions.defaults()).push(push()).media(media()).build();
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, e, FIELDS);
        }
    }

    /** Where messages live apart from --db: the parsed --messages-db, or null (in --db). */
    private CassandraOptions messagesStore() {
        if (messagesDb == null || messagesDb.isBlank()) {
            return null;
        }
        return CassandraUriOption.parse(spec, "--messages-db", messagesDb, " (Cassandra is the one store kept apart"
                + " from --db; leave --messages-db out to keep messages in --db)");
    }

    @Override
    public void validate() {
        // --db is required at start (picocli says so); a configuration file may leave it to the environment, and
        // the other options are checked the same on a stand-in database.
        options(db != null && !db.isBlank() ? db : "jdbc:h2:mem:config-check");
        broker.validate(spec);
        if (presenceRedis != null && !presenceRedis.isBlank() && !presenceRedis.startsWith("redis://")) {
            throw OptionProblems.of(spec, "--presence-redis", "'" + presenceRedis + "' is not a redis://host:port URI", null);
        }
        auth.validate(spec);
        internal.validate(spec, auth);
    }

    @Override
    public Integer call() throws Exception {
        validate();
        MessageServerOptions options = options(db);
        var verifier = auth.verifier(spec);
        var keys = internal.ring(spec, auth);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(registry);
        // The process's one set of Lettuce resources: broker and presence reads share it; closed last.
        RedisResources redisResources = RedisResources.create();
        Broker brk = broker.create(spec, registry, redisResources);
        String presenceUri = presenceRedis != null && !presenceRedis.isBlank() ? presenceRedis : broker.singleRedis();
        OnlineUsers online = presenceUri == null ? OnlineUsers.NONE
                : Startup.redis(spec, presenceRedis != null && !presenceRedis.isBlank() ? "--presence-redis" : "--redis", presenceUri,
                        () -> RedisOnlineUsers.connect(redisResources, presenceUri, java.time.Duration.ofSeconds(2),
                                java.time.Clock.systemUTC()));
        MessageServer server = Startup.listen(spec, host, List.of("--port"), () -> Startup.database(spec, "--db", db,
                () -> Startup.cassandra(spec, "--messages-db", () -> {
                    try {
                        return MessageServer.start(options, brk, online, verifier, keys, registry);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while starting", e);
                    }
                })));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            brk.close();
            redisResources.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}

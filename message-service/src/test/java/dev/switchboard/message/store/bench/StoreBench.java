package dev.switchboard.message.store.bench;

import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.ChatStore;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.MessageStore;
import dev.switchboard.message.store.SequenceListener;
import dev.switchboard.message.store.cassandra.CassandraChatStore;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * Send throughput and latency, then history page latency, of the message store on
 * PostgreSQL and on a three-node Cassandra ring (RF 3, quorum, Paxos sequences), in one
 * process and one run so that the two share the machine's state. Not a test: run it
 * with {@code benchmarks/scripts/store-bench.sh} (docs/benchmarks.md, "Message store").
 *
 * <p>Arguments (all optional): channels, senders, send seconds, warm-up seconds.
 * Each sender is a user who is a member of every channel and sends to a random channel
 * with a fresh client id, back to back (closed loop: throughput is senders / latency).
 */
public final class StoreBench {
    private static final int PAGE = 50;
    private static final int MAX_PAGES_PER_CHANNEL = 40;

    private final int channels;
    private final int senders;
    private final int seconds;
    private final int warmup;

    private StoreBench(int channels, int senders, int seconds, int warmup) {
        this.channels = channels;
        this.senders = senders;
        this.seconds = seconds;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        StoreBench bench = new StoreBench(arg(args, 0, 16), arg(args, 1, 32), arg(args, 2, 25), arg(args, 3, 5));
        System.out.printf("channels=%d senders=%d send=%ds warmup=%ds page=%d cpus=%d%n", bench.channels,
                bench.senders, bench.seconds, bench.warmup, PAGE, Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        results.add(bench.run("postgresql", StoreBench::postgres));
        // One ring per Paxos variant asked for (the fifth argument, default v1: what the store needs).
        for (String variant : (args.length > 4 ? args[4] : "v1").split(",")) {
            try (CassandraRing ring = new CassandraRing(3, "512m", true).withPaxosVariant(variant).start()) {
                results.add(bench.run("cassandra-3 paxos " + variant, db -> CassandraChatStore.open(db,
                        CassandraOptions.parse(ring.uri("bench_" + Long.toHexString(System.nanoTime() & 0xffffffL))),
                        Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE, new SimpleMeterRegistry())));
            }
        }
        System.out.println();
        System.out.println("| store | sends/s | send p50 ms | send p99 ms | send max ms | page p50 ms | page p99 ms | pages |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.println(r.row());
        }
    }

    private static ChatStore postgres(Database db) {
        return ChatStore.relational(db, Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE);
    }

    private Result run(String name, Function<Database, ChatStore> open) throws Exception {
        try (PostgresDatabase pg = new PostgresDatabase();
             ChatStore store = open.apply(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl())
                     .poolSize(senders).build(), new SimpleMeterRegistry()))) {
            List<UserRef> users = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                UserRef u = new UserRef("bench", "u" + i);
                store.users().create(new NewUser(u.org(), u.userId(), u.userId(), null, null));
                users.add(u);
                ids.add(u.userId());
            }
            long[] channelIds = new long[channels];
            for (int c = 0; c < channels; c++) {
                channelIds[c] = store.channels().createGroup(users.getFirst(), "c" + c, ids.subList(1, ids.size()))
                        .channel().id();
            }
            MessageStore messages = store.messages();
            sendFor(messages, users, channelIds, warmup, name + "-warm");
            long t0 = System.nanoTime();
            Histogram sends = sendFor(messages, users, channelIds, seconds, name);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            Histogram pages = history(messages, users.getFirst(), channelIds);
            Result r = new Result(name, sends, sends.getTotalCount() / elapsed, pages);
            System.out.println(r.row());
            return r;
        }
    }

    /** {@code senders} threads sending back to back for {@code secs}; latency in microseconds. */
    private Histogram sendFor(MessageStore messages, List<UserRef> users, long[] channelIds, int secs, String tag)
            throws Exception {
        long end = System.nanoTime() + secs * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<Histogram>> parts = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                UserRef who = users.get(s);
                String prefix = tag + "-" + s + "-";
                parts.add(pool.submit(() -> {
                    Histogram h = new Histogram(60_000_000L, 3);
                    long n = 0;
                    while (System.nanoTime() < end) {
                        long ch = channelIds[ThreadLocalRandom.current().nextInt(channelIds.length)];
                        long start = System.nanoTime();
                        messages.send(who, ch, new NewMessage("hello " + n, null, prefix + n++), SequenceListener.NONE);
                        h.recordValue(Math.min((System.nanoTime() - start) / 1000, 60_000_000L));
                    }
                    return h;
                }));
            }
            Histogram all = new Histogram(60_000_000L, 3);
            for (Future<Histogram> f : parts) {
                all.add(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Pages of {@value #PAGE} backwards from the newest, then forwards from the start, per channel. */
    private static Histogram history(MessageStore messages, UserRef reader, long[] channelIds) {
        Histogram h = new Histogram(60_000_000L, 3);
        for (long ch : channelIds) {
            walk(h, cursor -> messages.before(reader, ch, cursor, PAGE).messages());
            walk(h, cursor -> messages.after(reader, ch, cursor, PAGE).messages());
        }
        return h;
    }

    /** Up to half of {@value #MAX_PAGES_PER_CHANNEL} pages from cursor 0, each from the last one's last sequence. */
    private static void walk(Histogram h, LongFunction<List<Message>> pageAt) {
        long cursor = 0;
        for (int p = 0; p < MAX_PAGES_PER_CHANNEL / 2; p++) {
            long start = System.nanoTime();
            List<Message> page = pageAt.apply(cursor);
            h.recordValue((System.nanoTime() - start) / 1000);
            if (page.size() < PAGE) {
                break;
            }
            cursor = page.getLast().seq();
        }
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    private record Result(String store, Histogram sends, double perSecond, Histogram pages) {
        String row() {
            return String.format("| %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |", store, perSecond,
                    ms(sends, 50), ms(sends, 99), sends.getMaxValue() / 1000.0, ms(pages, 50), ms(pages, 99),
                    pages.getTotalCount());
        }

        private static double ms(Histogram h, double percentile) {
            return h.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}

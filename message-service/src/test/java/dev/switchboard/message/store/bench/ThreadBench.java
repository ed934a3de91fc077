package dev.switchboard.message.store.bench;

import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.ChatStore;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.MessageStore;
import dev.switchboard.message.store.SequenceListener;
import dev.switchboard.testing.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * What a reply costs as its thread grows, on PostgreSQL (a fresh database): a send of a reply loads its root's
 * thread summary inside the channel's lock. Two users reply to one root, back to back; after every STEP replies, 100
 * more are timed. Not a test: run it with {@code benchmarks/scripts/thread-bench.sh} (docs/benchmarks.md, "A reply
 * in a long thread").
 *
 * <p>Arguments (optional): replies (4000), step (1000).
 */
public final class ThreadBench {
    private ThreadBench() {
    }

    public static void main(String[] args) {
        int replies = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int step = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        UserRef ana = new UserRef("acme", "ana");
        UserRef ben = new UserRef("acme", "ben");
        try (PostgresDatabase pg = new PostgresDatabase();
             Database db = Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build(), new SimpleMeterRegistry())) {
            ChatStore store = ChatStore.relational(db, Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE);
            for (UserRef u : List.of(ana, ben)) {
                store.users().create(new NewUser(u.org(), u.userId(), u.userId(), null, null));
            }
            long g = store.channels().createGroup(ana, "thread-bench", List.of("ben")).channel().id();
            long root = store.messages().send(ana, g, new NewMessage("root", null, null), SequenceListener.NONE).message().id();
            System.out.println("| replies in the thread | ms per reply (100 timed) |");
            System.out.println("|---|---|");
            for (int i = 1; i <= replies; i++) {
                reply(store, i % 2 == 0 ? ana : ben, g, root);
                if (i % step == 0) {
                    long start = System.nanoTime();
                    for (int j = 0; j < 100; j++) {
                        reply(store, ben, g, root);
                    }
                    System.out.printf("| %,d | %.2f |%n", i, (System.nanoTime() - start) / 100 / 1e6);
                }
            }
        }
    }

    private static void reply(ChatStore store, UserRef who, long channel, long root) {
        store.messages().send(who, channel, new NewMessage("re", null, null, root, false, List.of()), SequenceListener.NONE);
    }
}

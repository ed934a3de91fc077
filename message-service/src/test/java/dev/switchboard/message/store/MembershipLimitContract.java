package dev.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cap on channels per user (ChannelStore.MAX_MEMBERSHIPS_PER_USER), here 3: every way a membership is made
 * refuses past it and writes nothing, a leave makes room, concurrent adds stop exactly at it, and the migration that
 * brings the count counts the memberships already there. One subclass per database.
 */
abstract class MembershipLimitContract {
    static final int CAP = 3;
    static final UserRef ANA = new UserRef("acme", "ana");
    static final UserRef BEN = new UserRef("acme", "ben");
    static final UserRef CY = new UserRef("acme", "cy");

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Options of a fresh, empty database of this kind. */
    abstract DatabaseOptions.Builder freshDatabase();

    /** Removes what {@link #freshDatabase()} made, once its pool is closed. */
    void dropDatabase() {
    }

    private Database database(boolean migrate) {
        Database db = Database.open(freshDatabase().migrate(migrate).build(), new SimpleMeterRegistry());
        open.add(db);
        return db;
    }

    /** The store on {@code db}, with users ana, ben, cy and {@code more}. */
    private static JdbcChannelStore channelsOn(Database db, String... more) {
        UserStore users = new UserStore(db, Clock.systemUTC());
        List<String> ids = new ArrayList<>(List.of("ana", "ben", "cy"));
        ids.addAll(List.of(more));
        for (String id : ids) {
            users.create(new NewUser("acme", id, id.toUpperCase(), null, null));
        }
        return new JdbcChannelStore(db, Clock.systemUTC(), CAP);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        dropDatabase();
    }

    @Test
    void everyWayOfMakingAMembershipStopsAtTheCapAndWritesNothing() {
        JdbcChannelStore channels = channelsOn(database(true));
        long first = channels.createGroup(ANA, "g1", List.of("ben")).channel().id(); // ana 1, ben 1
        channels.createGroup(CY, "g2", List.of("ben")); // cy 1, ben 2
        channels.openDm(BEN, "cy"); // ben 3, cy 2
        assertEquals(3, channels.memberships(BEN).size());

        ChatException group = conflict(() -> channels.createGroup(ANA, "g3", List.of("cy", "ben")));
        assertTrue(group.getMessage().contains("ben is a member of 3 channels"), group.getMessage());
        assertEquals(1, channels.memberships(ANA).size(), "the refused group was not made");
        assertEquals(2, channels.memberships(CY).size(), "nor cy's membership of it");
        conflict(() -> channels.openDm(ANA, "ben"));
        assertEquals(1, channels.memberships(ANA).size(), "no DM either");
        long other = channels.createGroup(ANA, "g4", List.of()).channel().id(); // ana 2
        conflict(() -> channels.addMember(ANA, other, "ben"));
        channels.createGroup(ANA, "g5", List.of()); // ana 3
        ChatException creator = conflict(() -> channels.createGroup(ANA, "g6", List.of()));
        assertTrue(creator.getMessage().contains("ana is a member of 3 channels"), "the creator counts too: " + creator.getMessage());

        ChatException already = assertThrows(ChatException.class, () -> channels.addMember(ANA, first, "ben"));
        assertTrue(already.getMessage().contains("already a member"), "an existing member is told so: " + already.getMessage());

        channels.removeMember(BEN, first, "ben"); // ben leaves g1: room for one
        channels.addMember(ANA, other, "ben");
        assertEquals(3, channels.memberships(BEN).size());
        conflict(() -> channels.addMember(ANA, first, "ben"));
    }

    @Test
    void concurrentAddsStopExactlyAtTheCap() throws Exception {
        JdbcChannelStore channels = channelsOn(database(true), "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
        List<Long> groups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            groups.add(channels.createGroup(new UserRef("acme", "c" + i), "g" + i, List.of()).channel().id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> adds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                UserRef caller = new UserRef("acme", "c" + i);
                long g = groups.get(i);
                adds.add(pool.submit((Callable<Object>) () -> channels.addMember(caller, g, "ben")));
            }
            int added = 0;
            for (Future<Object> f : adds) {
                try {
                    f.get();
                    added++;
                } catch (ExecutionException e) {
                    assertEquals(ErrorCode.CONFLICT, ((ChatException) e.getCause()).code(), e.getCause().toString());
                }
            }
            assertEquals(CAP, added);
            assertEquals(CAP, channels.memberships(BEN).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theMigrationCountsTheMembershipsAlreadyThere() throws SQLException {
        Database db = database(false);
        Flyway flyway = Flyway.configure().dataSource(db.dataSource()).locations(db.dialect().migrations()).target("4").load();
        flyway.migrate();
        try (Connection c = db.dataSource().getConnection()) {
            for (String user : List.of("ana", "ben", "cy")) {
                run(c, "INSERT INTO users (org, id, name, created_at) VALUES ('acme', '" + user + "', 'X', CURRENT_TIMESTAMP)");
            }
            // Ids far from those the store's inserts will take.
            for (int i = 1001; i <= 1003; i++) {
                run(c, "INSERT INTO channels (id, org, name, type, last_seq, created_at) VALUES (" + i + ", 'acme', 'g" + i
                        + "', 'GROUP', 0, CURRENT_TIMESTAMP)");
                run(c, "INSERT INTO memberships (channel_id, org, user_id, joined_at) VALUES (" + i + ", 'acme', 'ben', CURRENT_TIMESTAMP)");
            }
            run(c, "INSERT INTO memberships (channel_id, org, user_id, joined_at) VALUES (1001, 'acme', 'ana', CURRENT_TIMESTAMP)");
            c.commit();
        }
        Flyway.configure().dataSource(db.dataSource()).locations(db.dialect().migrations()).load().migrate();
        JdbcChannelStore channels = new JdbcChannelStore(db, Clock.systemUTC(), CAP);
        ChatException full = conflict(() -> channels.openDm(CY, "ben"));
        assertTrue(full.getMessage().contains("ben is a member of 3"), full.getMessage());
        channels.openDm(ANA, "cy"); // ana had one: room for two more
        channels.createGroup(ANA, "third", List.of());
        conflict(() -> channels.createGroup(ANA, "fourth", List.of()));
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private static ChatException conflict(Runnable call) {
        ChatException e = assertThrows(ChatException.class, call::run);
        assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
        return e;
    }
}

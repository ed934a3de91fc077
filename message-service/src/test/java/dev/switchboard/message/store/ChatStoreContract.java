package dev.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.ChannelDetails;
import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Membership;
import dev.switchboard.message.MembershipUpdate;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.Opened;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviours every chat store must have. One subclass per store runs them
 * against real databases: H2 in a temporary directory (dev mode), a throwaway
 * PostgreSQL database (production), and PostgreSQL with messages on a
 * three-node Cassandra ring.
 */
abstract class ChatStoreContract {
    static final UserRef ANA = new UserRef("acme", "ana");
    static final UserRef BEN = new UserRef("acme", "ben");
    static final UserRef CY = new UserRef("acme", "cy");
    /** Same user id as ANA, another organisation. */
    static final UserRef ANA_ELSEWHERE = new UserRef("globex", "ana");

    ChatStore store;
    Database db;
    UserStore users;
    ChannelStore channels;
    MessageStore messages;

    /** Opens a fresh, empty store (its databases migrated) with pages capped at {@link MessageStore#DEFAULT_MAX_PAGE}. */
    abstract ChatStore openStore();

    /** Releases what {@link #openStore()} made, after the store is closed. */
    void dropStore() {
    }

    @BeforeEach
    void open() {
        store = openStore();
        db = store.database();
        users = store.users();
        channels = store.channels();
        messages = store.messages();
        for (UserRef u : List.of(ANA, BEN, CY, ANA_ELSEWHERE)) {
            users.create(new NewUser(u.org(), u.userId(), u.userId().toUpperCase(), u.userId() + "@example.com",
                    null));
        }
    }

    @AfterEach
    void close() {
        store.close();
        dropStore();
    }

    @Test
    void createsUsersScopedByOrganisation() {
        assertEquals("ANA", users.find("acme", "ana").orElseThrow().name());
        assertEquals("globex", users.find("globex", "ana").orElseThrow().org());
        assertTrue(users.find("acme", "nobody").isEmpty());
        assertCode(ErrorCode.CONFLICT, () -> users.create(new NewUser("acme", "ana", "Again", null, null)));
        users.create(new NewUser("acme", "dee", "Dee", null, "dee"));
        assertCode(ErrorCode.CONFLICT, () -> users.create(new NewUser("acme", "eve", "Eve", null, "dee")));
    }

    @Test
    void createsGroupWithCreatorAsMember() {
        ChannelDetails g = channels.createGroup(ANA, "general", List.of("ben"));
        assertEquals(ChannelType.GROUP, g.channel().type());
        assertEquals(List.of("ana", "ben"), channels.details(BEN, g.channel().id()).members());
        assertEquals(0, g.channel().lastSeq());
    }

    @Test
    void groupWithUnknownMemberIsNotCreated() {
        assertCode(ErrorCode.NOT_FOUND, () -> channels.createGroup(ANA, "general", List.of("ben", "ghost")));
        assertTrue(channels.memberships(ANA).isEmpty());
        assertCode(ErrorCode.NOT_FOUND, () -> channels.createGroup(ANA, "x", List.of("ana@globex")));
    }

    @Test
    void dmOfAPairIsTheSameChannelInEitherOrder() {
        Opened first = channels.openDm(ANA, "ben");
        Opened again = channels.openDm(ANA, "ben");
        Opened reversed = channels.openDm(BEN, "ana");
        assertTrue(first.created());
        assertFalse(again.created());
        assertFalse(reversed.created());
        assertEquals(first.details().channel().id(), reversed.details().channel().id());
        assertEquals(first.details().channel().id(), again.details().channel().id());
        assertEquals(ChannelType.DM, reversed.details().channel().type());
        assertEquals(Set.of("ana", "ben"), Set.copyOf(reversed.details().members()));
        assertNotEquals(first.details().channel().id(), channels.openDm(ANA, "cy").details().channel().id());
        assertCode(ErrorCode.BAD_REQUEST, () -> channels.openDm(ANA, "ana"));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.openDm(ANA, "ghost"));
    }

    @Test
    void concurrentFirstDmRequestsCreateOneChannel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Opened>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                UserRef who = i % 2 == 0 ? ANA : BEN;
                calls.add(pool.submit(() -> channels.openDm(who, who == ANA ? "ben" : "ana")));
            }
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Future<Opened> f : calls) {
                ids.add(f.get().details().channel().id());
                created += f.get().created() ? 1 : 0;
            }
            assertEquals(1, ids.size());
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dmMembersAreFixed() {
        long dm = channels.openDm(ANA, "ben").details().channel().id();
        assertCode(ErrorCode.CONFLICT, () -> channels.addMember(ANA, dm, "cy"));
        assertCode(ErrorCode.CONFLICT, () -> channels.removeMember(ANA, dm, "ben"));
    }

    @Test
    void membersJoinAndLeave() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        assertCode(ErrorCode.PERMISSION_DENIED, () -> channels.addMember(BEN, g, "cy"));
        channels.addMember(ANA, g, "ben");
        assertCode(ErrorCode.CONFLICT, () -> channels.addMember(ANA, g, "ben"));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.addMember(ANA, g, "ghost"));
        assertTrue(channels.isMember(BEN, g));
        channels.removeMember(BEN, g, "ben");
        assertFalse(channels.isMember(BEN, g));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.removeMember(ANA, g, "ben"));
        assertTrue(channels.memberships(BEN).isEmpty());
    }

    @Test
    void membershipFlagsArePerMemberAndPartial() {
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        Membership m = channels.updateMembership(ANA, g, new MembershipUpdate(true, null, null));
        assertTrue(m.muted());
        assertFalse(m.starred());
        m = channels.updateMembership(ANA, g, new MembershipUpdate(null, true, true));
        assertTrue(m.muted(), "a null field keeps its value");
        assertTrue(m.notifyAlways());
        assertTrue(m.starred());
        ChannelSummary bens = channels.memberships(BEN).getFirst();
        assertFalse(bens.membership().muted() || bens.membership().starred() || bens.membership().notifyAlways());
        assertTrue(channels.memberships(ANA).getFirst().membership().starred());
    }

    @Test
    void sequencesAreGapFreeUnderConcurrentSends() throws Exception {
        long g = channels.createGroup(ANA, "busy", List.of("ben")).channel().id();
        List<Long> reserved = Collections.synchronizedList(new ArrayList<>());
        SequenceListener recording = (channel, seq) -> {
            reserved.add(seq);
            return SequenceListener.Ticket.NONE;
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                UserRef who = t % 2 == 0 ? ANA : BEN;
                int thread = t;
                sends.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        messages.send(who, g, new NewMessage("m" + thread + "-" + i, null, null), recording);
                    }
                }));
            }
            for (Future<?> f : sends) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> seqs = messages.after(ANA, g, 0, 200).messages().stream().map(Message::seq).toList();
        List<Long> all = new ArrayList<>(seqs);
        all.addAll(messages.after(ANA, g, 200, 200).messages().stream().map(Message::seq).toList());
        assertEquals(LongStream.rangeClosed(1, 400).boxed().toList(), all);
        // Reserved while holding the channel's row lock: the listener sees commit order.
        assertEquals(LongStream.rangeClosed(1, 400).boxed().toList(), reserved);
        assertEquals(400, channels.memberships(ANA).getFirst().channel().lastSeq());
    }

    @Test
    void rolledBackSendGivesItsSequenceBack() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        messages.send(ANA, g, new NewMessage("one", null, null), SequenceListener.NONE);
        assertThrows(IllegalStateException.class, () -> messages.send(ANA, g, new NewMessage("lost", null, null),
                (channel, seq) -> {
                    throw new IllegalStateException("fail inside the transaction");
                }));
        SendResult two = messages.send(ANA, g, new NewMessage("two", null, null), SequenceListener.NONE);
        assertEquals(2, two.message().seq());
        assertEquals(List.of("two", "one"),
                messages.before(ANA, g, 0, 10).messages().stream().map(Message::text).toList());
    }

    @Test
    void retriedSendIsStoredOnce() {
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        SendResult first = messages.send(ANA, g, new NewMessage("hi", null, "c-1"), SequenceListener.NONE);
        List<Long> sequenced = new ArrayList<>();
        SendResult retry = messages.send(ANA, g, new NewMessage("hi", null, "c-1"), (c, seq) -> {
            sequenced.add(seq);
            return SequenceListener.Ticket.NONE;
        });
        assertFalse(first.duplicate());
        assertTrue(retry.duplicate());
        assertEquals(first.message(), retry.message());
        assertTrue(sequenced.isEmpty(), "a duplicate takes no sequence");
        // The key is the sender's own: another sender may use the same one.
        SendResult bens = messages.send(BEN, g, new NewMessage("hi", null, "c-1"), SequenceListener.NONE);
        assertFalse(bens.duplicate());
        assertEquals(2, bens.message().seq());
        assertEquals(2, messages.after(ANA, g, 0, 10).messages().size());
    }

    @Test
    void storesAttachmentMetadata() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        String att = "[{\"name\":\"a.png\",\"size\":12}]";
        messages.send(ANA, g, new NewMessage("", att, null), SequenceListener.NONE);
        Message m = messages.before(ANA, g, 0, 1).messages().getFirst();
        assertEquals(att, m.attachments());
        assertEquals("", m.text());
        assertNull(m.clientMsgId());
    }

    @Test
    void historyPagesWithCursorsAndCap() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        for (int i = 1; i <= 205; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        HistoryPage capped = messages.before(ANA, g, 0, 1000);
        assertEquals(200, capped.messages().size());
        assertEquals(205, capped.messages().getFirst().seq());
        assertEquals(6L, capped.nextCursor());

        HistoryPage newest = messages.before(ANA, g, 0, 3);
        assertEquals(List.of(205L, 204L, 203L), seqs(newest));
        assertEquals(203L, newest.nextCursor());
        HistoryPage older = messages.before(ANA, g, newest.nextCursor(), 3);
        assertEquals(List.of(202L, 201L, 200L), seqs(older));
        HistoryPage oldest = messages.before(ANA, g, 3, 5);
        assertEquals(List.of(2L, 1L), seqs(oldest));
        assertNull(oldest.nextCursor());

        HistoryPage after = messages.after(ANA, g, 200, 3);
        assertEquals(List.of(201L, 202L, 203L), seqs(after));
        assertEquals(203L, after.nextCursor());
        HistoryPage tail = messages.after(ANA, g, after.nextCursor(), 3);
        assertEquals(List.of(204L, 205L), seqs(tail));
        assertNull(tail.nextCursor());
        assertTrue(messages.after(ANA, g, 205, 3).messages().isEmpty());
        assertCode(ErrorCode.BAD_REQUEST, () -> messages.before(ANA, g, 0, 0));
    }

    @Test
    void readCheckpointNeverMovesBackwards() {
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        for (int i = 0; i < 5; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        assertEquals(4, channels.markRead(BEN, g, 4));
        assertEquals(4, channels.markRead(BEN, g, 2));
        assertEquals(5, channels.markRead(BEN, g, 99), "capped at the channel's last sequence");
        assertEquals(5, channels.memberships(BEN).getFirst().membership().lastReadSeq());
        assertCode(ErrorCode.BAD_REQUEST, () -> channels.markRead(BEN, g, -1));
    }

    @Test
    void unreadCountsFollowSendsAndCheckpoints() {
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long dm = channels.openDm(ANA, "ben").details().channel().id();
        for (int i = 0; i < 3; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        messages.send(BEN, dm, new NewMessage("psst", null, null), SequenceListener.NONE);
        ChannelSummary bensGroup = summary(BEN, g);
        assertEquals(3, bensGroup.unreadCount());
        assertEquals(bensGroup, channels.membership(BEN, g));
        assertEquals(3, bensGroup.channel().lastSeq());
        assertEquals(0, summary(ANA, g).unreadCount(), "your own messages are read");
        assertEquals(1, summary(ANA, dm).unreadCount());
        channels.markRead(BEN, g, 2);
        assertEquals(1, summary(BEN, g).unreadCount());
        // A member who joins later starts with nothing unread.
        channels.addMember(ANA, g, "cy");
        assertEquals(0, summary(CY, g).unreadCount());
        assertEquals(List.of(ChannelType.GROUP, ChannelType.DM),
                channels.memberships(BEN).stream().map(s -> s.channel().type()).toList());
    }

    /** Counting reads a row per message counted, for every channel of the list: the counts stop at 1,000 ("999+"). */
    @Test
    void unreadCountsStopAtAThousand() {
        long g = channels.createGroup(ANA, "busy", List.of("ben")).channel().id();
        int sent = ChannelSummary.MAX_COUNTED + 3;
        for (int i = 0; i < sent; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        assertEquals(ChannelSummary.MAX_COUNTED, summary(BEN, g).unreadCount());
        assertEquals(ChannelSummary.MAX_COUNTED, channels.membership(BEN, g).unreadCount());
        channels.markRead(BEN, g, sent - 5);
        assertEquals(5, summary(BEN, g).unreadCount(), "below the cap the count is exact again");
    }

    /** What an edge subscribes at connect: the memberships' channels and last sequences, by id, with nothing counted. */
    @Test
    void memberChannelsAreTheMembershipsChannelsWithTheirLastSequences() {
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long dm = channels.openDm(ANA, "ben").details().channel().id();
        channels.createGroup(CY, "elsewhere", List.of());
        for (int i = 0; i < 3; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        messages.send(BEN, dm, new NewMessage("psst", null, null), SequenceListener.NONE);
        List<Channel> bens = channels.memberChannels(BEN);
        assertEquals(List.of(g, dm), bens.stream().map(Channel::id).toList());
        assertEquals(List.of(3L, 1L), bens.stream().map(Channel::lastSeq).toList());
        assertEquals(channels.memberships(BEN).stream().map(ChannelSummary::channel).sorted(Comparator.comparingLong(Channel::id)).toList(),
                bens);
        assertEquals(List.of(), channels.memberChannels(new UserRef("acme", "nobody")));
    }

    @Test
    void nonMembersAreRefused() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        assertCode(ErrorCode.PERMISSION_DENIED,
                () -> messages.send(BEN, g, new NewMessage("hi", null, null), SequenceListener.NONE));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> messages.before(BEN, g, 0, 10));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> messages.after(BEN, g, 0, 10));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> channels.markRead(BEN, g, 0));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> channels.details(BEN, g));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> channels.membership(BEN, g));
        assertFalse(channels.isMember(BEN, g));
    }

    @Test
    void anotherOrganisationCannotSeeTheChannel() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        messages.send(ANA, g, new NewMessage("secret", null, null), SequenceListener.NONE);
        // Same user id, other org: not a member, and the channel does not exist for them.
        assertCode(ErrorCode.NOT_FOUND,
                () -> messages.send(ANA_ELSEWHERE, g, new NewMessage("hi", null, null), SequenceListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> messages.before(ANA_ELSEWHERE, g, 0, 10));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.details(ANA_ELSEWHERE, g));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.membership(ANA_ELSEWHERE, g));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.markRead(ANA_ELSEWHERE, g, 1));
        assertCode(ErrorCode.NOT_FOUND, () -> channels.addMember(ANA_ELSEWHERE, g, "ana"));
        assertFalse(channels.isMember(ANA_ELSEWHERE, g));
        assertTrue(channels.memberships(ANA_ELSEWHERE).isEmpty());
        assertCode(ErrorCode.NOT_FOUND, () -> messages.before(ANA, 987654321L, 0, 10));
    }

    private ChannelSummary summary(UserRef who, long channelId) {
        return channels.memberships(who).stream().filter(s -> s.channel().id() == channelId).findFirst()
                .orElseThrow();
    }

    private static List<Long> seqs(HistoryPage page) {
        return page.messages().stream().map(Message::seq).toList();
    }

    static void assertCode(ErrorCode expected, Executable call) {
        ChatException e = assertThrows(ChatException.class, call::run);
        assertEquals(expected, e.code(), e.getMessage());
    }

    /** A call expected to throw. */
    @FunctionalInterface
    interface Executable {
        void run() throws Exception;
    }
}

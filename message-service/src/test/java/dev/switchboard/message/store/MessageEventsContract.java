package dev.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.ChatException;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.wire.chat.EventKind;
import dev.switchboard.wire.chat.Reaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message-event behaviours (ADR 0013) on every store that keeps events; a
 * store that does not (Cassandra) must refuse them with a clear error, and the
 * rest of this contract is skipped for it.
 */
abstract class MessageEventsContract extends ChatStoreContract {

    private MessageEventStore events() {
        assumeTrue(store.events().supported(), "this store keeps no message events (ADR 0013)");
        return store.events();
    }

    private static NewMessage text(String t) {
        return new NewMessage(t, null, null);
    }

    @Test
    void storesWithoutEventsRefuseThemClearly() {
        assumeTrue(!store.events().supported());
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long id = messages.send(ANA, g, text("hi"), SequenceListener.NONE).message().id();
        ChatException e = org.junit.jupiter.api.Assertions.assertThrows(ChatException.class,
                () -> store.events().edit(ANA, g, id, "hey", null, SequenceListener.NONE));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().startsWith("UNSUPPORTED"), e.getMessage());
    }

    @Test
    void everyChangeTakesTheNextSequenceAndTheLogReplaysItWithTheCurrentState() {
        MessageEventStore ev = events();
        long g = channels.createGroup(ANA, "general", List.of("ben", "cy")).channel().id();
        List<Long> heard = Collections.synchronizedList(new ArrayList<>());
        SequenceListener recording = (channel, seq) -> {
            heard.add(seq);
            return SequenceListener.Ticket.NONE;
        };
        Message root = messages.send(ANA, g, text("hello"), recording).message();
        Message reply = messages.send(BEN, g, new NewMessage("in thread", null, null, root.id(), false, List.of()),
                recording).message();
        assertEquals(root.id(), reply.state().parentId());
        assertEquals(1, reply.state().parentThread().replyCount());
        SendResult edited = ev.edit(ANA, g, root.id(), "hello, world", null, recording);
        assertEquals(EventKind.EDIT, edited.message().event().kind());
        assertEquals(3, edited.message().logSeq());
        assertEquals("hello, world", edited.message().text());
        ev.react(BEN, g, root.id(), ":+1:", true, null, recording);
        ev.react(CY, g, root.id(), ":+1:", true, null, recording);
        ev.react(BEN, g, root.id(), ":tada:", true, null, recording);
        SendResult removed = ev.react(BEN, g, root.id(), ":tada:", false, null, recording);
        assertEquals(List.of(new Reaction(":+1:", List.of("ben", "cy"))), removed.message().state().reactions());
        Message other = messages.send(CY, g, text("bye"), recording).message();
        SendResult deleted = ev.delete(CY, g, other.id(), null, recording);
        assertTrue(deleted.message().state().deleted());
        assertEquals("", deleted.message().text());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), heard);

        HistoryPage log = messages.after(ANA, g, 0, 50);
        assertEquals(9, log.messages().size());
        for (int i = 0; i < 9; i++) {
            assertEquals(i + 1, log.messages().get(i).logSeq());
        }
        // Every entry about the root carries its current state.
        Message current = log.messages().get(0);
        assertEquals("hello, world", current.text());
        assertEquals(edited.message().state().editedAt(), current.state().editedAt());
        assertEquals(List.of(new Reaction(":+1:", List.of("ben", "cy"))), current.state().reactions());
        assertEquals(1, current.state().thread().replyCount());
        assertEquals(List.of("ben"), current.state().thread().repliers());
        assertEquals(current.state(), log.messages().get(6).state());
        assertEquals(EventKind.REACTION_REMOVED, log.messages().get(6).event().kind());
        assertEquals(":tada:", log.messages().get(6).event().emoji());
        assertTrue(log.messages().get(7).state().deleted(), "the message entry of a deleted message is a tombstone");

        // History shows channel messages in their current state; the reply stays in its thread.
        List<Message> page = messages.before(BEN, g, 0, 50).messages();
        assertEquals(List.of(other.id(), root.id()), page.stream().map(Message::id).toList());
        assertEquals(current.state(), page.get(1).state());
        HistoryPage thread = ev.replies(CY, g, root.id(), 0, 10);
        assertEquals(List.of(reply.id()), thread.messages().stream().map(Message::id).toList());
        assertNull(thread.nextCursor());
        // Paged logs meet without gaps.
        HistoryPage first = messages.after(ANA, g, 0, 4);
        assertEquals(4L, first.nextCursor());
        assertEquals(5, messages.after(ANA, g, first.nextCursor(), 50).messages().getFirst().logSeq());
    }

    /** A root's summary: every reply counted, the last one's time, the repliers in the order of their first reply. */
    @Test
    void aThreadSummaryCountsEveryReplyAndNamesEachReplierOnceInOrder() {
        events();
        long g = channels.createGroup(ANA, "general", List.of("ben", "cy")).channel().id();
        long root = messages.send(ANA, g, text("root"), SequenceListener.NONE).message().id();
        Message last = null;
        for (UserRef who : List.of(BEN, CY, BEN, ANA, CY)) {
            last = messages.send(who, g, new NewMessage("re", null, null, root, false, List.of()), SequenceListener.NONE).message();
        }
        HistoryPage page = messages.before(ANA, g, 0, 10);
        Message stored = page.messages().stream().filter(m -> m.id() == root).findFirst().orElseThrow();
        assertEquals(5, stored.state().thread().replyCount());
        assertEquals(List.of("ben", "cy", "ana"), stored.state().thread().repliers());
        assertEquals(last.createdAt(), stored.state().thread().lastReplyAt());
        assertEquals(5, last.state().parentThread().replyCount(), "the reply's own copy of its root's summary");
    }

    /** Every reaction change sends the message's whole reaction state: a message carries at most 50 different emoji. */
    @Test
    void aMessageCarriesAtMostFiftyDifferentEmoji() {
        MessageEventStore ev = events();
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long id = messages.send(ANA, g, text("react to me"), SequenceListener.NONE).message().id();
        for (int i = 0; i < Reaction.MAX_PER_MESSAGE; i++) {
            ev.react(BEN, g, id, ":e" + i + ":", true, null, SequenceListener.NONE);
        }
        ChatException full = assertThrows(ChatException.class, () -> ev.react(BEN, g, id, ":one-more:", true, null, SequenceListener.NONE));
        assertEquals(ErrorCode.CONFLICT, full.code());
        assertTrue(full.getMessage().contains("50 different reactions"), full.getMessage());
        SendResult same = ev.react(ANA, g, id, ":e7:", true, null, SequenceListener.NONE);
        assertEquals(2, same.message().state().reactions().stream().filter(r -> r.emoji().equals(":e7:")).findFirst().orElseThrow().count(),
                "an emoji already there takes more people");
        ev.react(BEN, g, id, ":e0:", false, null, SequenceListener.NONE); // :e0: had ben alone: room for one
        SendResult added = ev.react(ANA, g, id, ":one-more:", true, null, SequenceListener.NONE);
        assertEquals(Reaction.MAX_PER_MESSAGE, added.message().state().reactions().size());
    }

    @Test
    void onlyTheAuthorEditsOrDeletesAndOnlyMembersReactOrReply() {
        MessageEventStore ev = events();
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long elsewhere = channels.createGroup(ANA, "random", List.of()).channel().id();
        long id = messages.send(ANA, g, text("mine"), SequenceListener.NONE).message().id();
        long otherChannels = messages.send(ANA, elsewhere, text("there"), SequenceListener.NONE).message().id();
        assertCode(ErrorCode.PERMISSION_DENIED, () -> ev.edit(BEN, g, id, "yours?", null, SequenceListener.NONE));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> ev.delete(BEN, g, id, null, SequenceListener.NONE));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> ev.react(CY, g, id, ":x:", true, null, SequenceListener.NONE));
        assertCode(ErrorCode.PERMISSION_DENIED, () -> messages.send(CY, g,
                new NewMessage("let me in", null, null, id, false, List.of()), SequenceListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> ev.react(ANA_ELSEWHERE, g, id, ":x:", true, null, SequenceListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> ev.edit(ANA, g, 987_654_321L, "ghost", null, SequenceListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> ev.edit(ANA, g, otherChannels, "wrong channel", null, SequenceListener.NONE));
        assertCode(ErrorCode.NOT_FOUND, () -> messages.send(BEN, g,
                new NewMessage("to another channel's message", null, null, otherChannels, false, List.of()),
                SequenceListener.NONE));
        long reply = messages.send(BEN, g, new NewMessage("r", null, null, id, false, List.of()), SequenceListener.NONE)
                .message().id();
        assertCode(ErrorCode.BAD_REQUEST, () -> messages.send(ANA, g,
                new NewMessage("nested", null, null, reply, false, List.of()), SequenceListener.NONE));
        ev.delete(ANA, g, id, null, SequenceListener.NONE);
        assertCode(ErrorCode.CONFLICT, () -> ev.edit(ANA, g, id, "undo", null, SequenceListener.NONE));
        assertCode(ErrorCode.CONFLICT, () -> ev.react(BEN, g, id, ":x:", true, null, SequenceListener.NONE));
        assertCode(ErrorCode.CONFLICT, () -> messages.send(BEN, g,
                new NewMessage("late", null, null, id, false, List.of()), SequenceListener.NONE));
        long before = channels.memberships(ANA).getFirst().channel().lastSeq();
        assertTrue(ev.delete(ANA, g, id, null, SequenceListener.NONE).duplicate(), "deleting twice is one delete");
        assertEquals(before, channels.memberships(ANA).getFirst().channel().lastSeq(), "refusals take no sequence");
    }

    @Test
    void changesAreIdempotent() {
        MessageEventStore ev = events();
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long id = messages.send(ANA, g, text("v1"), SequenceListener.NONE).message().id();
        SendResult first = ev.edit(ANA, g, id, "v2", "edit-1", SequenceListener.NONE);
        SendResult retry = ev.edit(ANA, g, id, "v2", "edit-1", SequenceListener.NONE);
        assertFalse(first.duplicate());
        assertTrue(retry.duplicate());
        assertEquals(first.message().event(), retry.message().event());
        List<Long> heard = new ArrayList<>();
        SequenceListener recording = (channel, seq) -> {
            heard.add(seq);
            return SequenceListener.Ticket.NONE;
        };
        assertFalse(ev.react(BEN, g, id, "👍", true, null, recording).duplicate());
        assertTrue(ev.react(BEN, g, id, "👍", true, null, recording).duplicate(), "adding twice is one reaction");
        assertTrue(ev.react(BEN, g, id, "🎉", false, null, recording).duplicate(), "removing what is not there");
        assertEquals(List.of(3L), heard);
        assertEquals(3, messages.after(ANA, g, 0, 50).messages().size());
    }

    @Test
    void unreadCountsNewMessagesOnlyAndMentionsBesideIt() {
        MessageEventStore ev = events();
        long g = channels.createGroup(ANA, "general", List.of("ben", "cy")).channel().id();
        long m1 = messages.send(ANA, g, text("one"), SequenceListener.NONE).message().id();
        long m2 = messages.send(ANA, g, new NewMessage("@ben two", null, null, 0, false, List.of("ben")),
                SequenceListener.NONE).message().id();
        messages.send(ANA, g, new NewMessage("@ben in a thread", null, null, m1, false, List.of("ben")),
                SequenceListener.NONE);
        ev.edit(ANA, g, m1, "one!", null, SequenceListener.NONE);
        ev.react(CY, g, m1, ":eyes:", true, null, SequenceListener.NONE);
        ChannelSummary ben = channels.memberships(BEN).getFirst();
        assertEquals(2, ben.unreadCount(), "edits, reactions and thread-only replies are not unread");
        assertEquals(2, ben.mentionCount());
        assertEquals(5, ben.channel().lastSeq(), "three messages and two events took sequences");
        ChannelSummary one = channels.membership(BEN, g);
        assertEquals(2, one.unreadCount(), "one membership counts as the list does, not lastSeq - lastReadSeq");
        assertEquals(2, one.mentionCount());
        assertEquals(0, channels.memberships(ANA).getFirst().unreadCount(), "my own messages are read");
        ev.delete(ANA, g, m2, null, SequenceListener.NONE);
        ben = channels.memberships(BEN).getFirst();
        assertEquals(1, ben.unreadCount());
        assertEquals(1, ben.mentionCount());
        assertEquals(1, channels.membership(BEN, g).unreadCount(), "a delete is not unread and takes one away");
        channels.markRead(BEN, g, ben.channel().lastSeq());
        ben = channels.memberships(BEN).getFirst();
        assertEquals(0, ben.unreadCount());
        assertEquals(0, ben.mentionCount());
    }


    @Test
    void theChannelListIsOrderedByAffinity() {
        events();
        long g1 = channels.createGroup(ANA, "one", List.of("ben")).channel().id();
        long g2 = channels.createGroup(ANA, "two", List.of("ben")).channel().id();
        long g3 = channels.createGroup(ANA, "three", List.of("ben")).channel().id();
        messages.send(ANA, g2, text("here"), SequenceListener.NONE);
        assertEquals(g2, channels.memberships(ANA).getFirst().channel().id(), "sending raises a channel");
        channels.markRead(ANA, g3, 0);
        channels.markRead(ANA, g3, 0);
        List<Long> order = channels.memberships(ANA).stream().map(s -> s.channel().id()).toList();
        assertEquals(List.of(g3, g2, g1), order, "two reads outweigh one send; untouched channels last");
        // Each act is worth 1 and decays by e in a week: seconds apart, the scores are the acts' counts.
        List<Double> scores = channels.memberships(ANA).stream().map(ChannelSummary::affinityScore).toList();
        assertEquals(2.0, scores.get(0), 0.01);
        assertEquals(1.0, scores.get(1), 0.01);
        assertEquals(0.0, scores.get(2), 1e-9);
        assertEquals(2.0, channels.membership(ANA, g3).affinityScore(), 0.01);
    }
}

package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.chat.ChatEvent;
import dev.switchboard.wire.chat.ChatMessage;
import dev.switchboard.wire.chat.EventKind;
import dev.switchboard.wire.chat.MessageState;
import dev.switchboard.wire.chat.Reaction;
import dev.switchboard.wire.chat.ThreadSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatChannelStateTest {
    static final String CHANNEL = "acme/chat/7";
    static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    static Publication entry(ChatMessage m) {
        var p = m.publication(CHANNEL);
        return new Publication(p.getChannel(), p.getSeq(), p.getSenderId(), p.getTimestampMs(),
                p.getPayload().toByteArray(), p.getMessageId(), p.getClientMsgId());
    }

    static ChatMessage message(long id, long seq, String sender, String text, MessageState state, ChatEvent event) {
        return new ChatMessage(id, 7, seq, sender, text, null, null, T.plusSeconds(seq), state, event);
    }

    static MessageState state(Instant edited, List<Reaction> reactions, ThreadSummary thread, long parent,
                              ThreadSummary parentThread, List<String> mentions) {
        return new MessageState(edited, null, reactions, parent, false, thread, parentThread, mentions);
    }

    @Test
    void theNewestEntryOfAMessageWinsAndRepliesUpdateTheirRoot() {
        ChatChannelState s = new ChatChannelState(CHANNEL, "bob");
        ChatMessage root = message(1, 1, "ana", "hi @bob", state(null, List.of(), null, 0, null, List.of("bob")), null);
        ThreadSummary one = new ThreadSummary(1, T.plusSeconds(2), List.of("cy"));
        ChatMessage reply = message(2, 2, "cy", "yes", state(null, List.of(), null, 1, one, List.of()), null);
        ChatMessage edited = message(1, 1, "ana", "hi all", state(T.plusSeconds(3), List.of(), one, 0, null, List.of("bob")),
                new ChatEvent(EventKind.EDIT, 3, "ana", null, null, T.plusSeconds(3)));
        ChatMessage reacted = message(1, 1, "ana", "hi all", state(T.plusSeconds(3),
                List.of(new Reaction(":+1:", List.of("bob"))), one, 0, null, List.of("bob")),
                new ChatEvent(EventKind.REACTION_ADDED, 4, "bob", ":+1:", null, T.plusSeconds(4)));
        for (ChatMessage m : List.of(root, reply, edited, reacted)) {
            s.apply(entry(m));
        }
        s.apply(entry(edited)); // an older entry again (a replayed page) changes nothing
        assertEquals(4, s.lastSeq());
        List<ChatMessage> messages = s.messages();
        assertEquals(2, messages.size());
        assertEquals("hi all", messages.get(0).text());
        assertEquals(List.of(new Reaction(":+1:", List.of("bob"))), messages.get(0).state().reactions());
        assertEquals(one, messages.get(0).state().thread());
        assertEquals(null, messages.get(1).state().parentThread(), "a reply's news about its root went to the root");
        assertEquals(1, s.unreadCount(0), "the thread-only reply is not unread; edits and reactions never are");
        assertEquals(1, s.mentionCount(0));
        assertEquals(0, s.unreadCount(4));
    }

    @Test
    void aReplyWithoutItsRootLoadedIsKeptAndATombstoneCountsNothing() {
        ChatChannelState s = new ChatChannelState(CHANNEL, "bob");
        ThreadSummary one = new ThreadSummary(1, T, List.of("cy"));
        s.apply(entry(message(2, 9, "cy", "late", state(null, List.of(), null, 1, one, List.of("bob")), null)));
        ChatMessage gone = new ChatMessage(3, 7, 10, "ana", "", null, null, T, new MessageState(null, T, List.of(), 0,
                false, null, null, List.of()), new ChatEvent(EventKind.DELETE, 11, "ana", null, null, T));
        s.apply(entry(gone));
        assertEquals(2, s.messages().size());
        assertTrue(s.messages().get(1).state().deleted());
        assertEquals(0, s.unreadCount(0));
        assertEquals(1, s.mentionCount(0));
    }
}

package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChannelNamesTest {

    @Test
    void chatIdAcceptsOnlyTheSpellingThatChatWrites() {
        assertEquals(7, ChannelNames.chatId(ChannelNames.chat("acme", 7)));
        assertEquals(Long.MAX_VALUE, ChannelNames.chatId(ChannelNames.chat("acme", Long.MAX_VALUE)));
        // Found by ChannelNamesFuzzTest (input chat-leading-zeros): "acme/chat/007" passed the membership
        // check of chat channel 7 but is a different realtime channel, so the subscriber got nothing.
        assertTrue(ChannelNames.isValid("acme/chat/007"));
        assertEquals(-1, ChannelNames.chatId("acme/chat/007"));
        assertEquals(-1, ChannelNames.chatId("acme/chat/0"));
        assertEquals(-1, ChannelNames.chatId("acme/chat/\u0663"), "Long.parseLong takes non-ASCII digits");
        assertEquals(-1, ChannelNames.chatId("acme/chat/9223372036854775808"));
        assertEquals(-1, ChannelNames.chatId("acme/room/7"));
    }

    @Test
    void belongsToIsTheOrganisationWall() {
        assertTrue(ChannelNames.belongsTo("acme/room", "acme"));
        assertFalse(ChannelNames.belongsTo("acme/room", "acm"));
        assertFalse(ChannelNames.belongsTo("acmex/room", "acme"));
        assertFalse(ChannelNames.belongsTo("acme", "acme"));
    }
}

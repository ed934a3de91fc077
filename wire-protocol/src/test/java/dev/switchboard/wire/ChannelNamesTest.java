package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
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

    /** The grammar isValid() scans for, as the regular expression it replaced. */
    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.:@=#/-]{1,190}");

    @Test
    void isValidIsTheGrammar() {
        for (String name : List.of("a/b", "acme/chat/7", "acme/#u-1", "a/", "/b", "", "acme", "a//", "a/b/c",
                "a b/c", "acme/ro om", "\u00e9/b", "a/\u0663", "x".repeat(64) + "/b", "x".repeat(65) + "/b",
                "a/" + "y".repeat(190), "a/" + "y".repeat(191), "x".repeat(64) + "/" + "y".repeat(190))) {
            assertEquals(GRAMMAR.matcher(name).matches(), ChannelNames.isValid(name), name);
        }
        assertFalse(ChannelNames.isValid(null));
        // Half the names from the allowed characters only, so that the lengths and the slash decide.
        String allowed = "aZ09_.-:@=#/";
        String any = allowed + " \u00e9";
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            String alphabet = random.nextBoolean() ? allowed : any;
            int length = random.nextInt(random.nextBoolean() ? 8 : 260);
            for (int k = 0; k < length; k++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = b.toString();
            assertEquals(GRAMMAR.matcher(name).matches(), ChannelNames.isValid(name), name);
        }
    }
}

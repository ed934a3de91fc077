package dev.switchboard.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link ChannelNames}, the organisation wall of every
 * subscribe and publish. The input is {@code <org candidate> NUL <channel>} (no NUL:
 * the whole input is the channel), both as UTF-8.
 *
 * <p>Properties: the predicates that callers apply to unchecked names (isValid,
 * isPersonal, isChat, chatId, belongsTo) never throw; a valid name has an org that
 * is a valid id and belongs to that org and to no other id; a personal or chat
 * name is rebuilt exactly by {@link ChannelNames#personal} / {@link ChannelNames#chat}
 * from its parts, so one chat channel has one realtime name.
 */
class ChannelNamesFuzzTest {
    /** The id rule of {@code dev.switchboard.auth.Ids}, which org and user ids follow. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @FuzzTest(maxDuration = "5s")
    void rejectsOrScopesConsistently(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        String otherOrg = nul < 0 ? "" : text.substring(0, nul);
        String channel = nul < 0 ? text : text.substring(nul + 1);

        boolean valid = ChannelNames.isValid(channel);
        boolean personal = ChannelNames.isPersonal(channel);
        boolean chat = ChannelNames.isChat(channel);
        long chatId = ChannelNames.chatId(channel);
        boolean belongsToOther = ChannelNames.belongsTo(channel, otherOrg);
        if (!valid) {
            return;
        }
        String org = ChannelNames.org(channel);
        assertTrue(ID.matcher(org).matches(), "the org of a valid name is an id: " + org);
        assertTrue(ChannelNames.belongsTo(channel, org), "a valid name belongs to its org");
        if (ID.matcher(otherOrg).matches()) {
            assertEquals(org.equals(otherOrg), belongsToOther, "org wall: " + channel + " vs " + otherOrg);
        }
        if (personal) {
            assertEquals(channel, ChannelNames.personal(org, ChannelNames.personalUser(channel)));
        }
        if (chat && chatId > 0) {
            assertEquals(channel, ChannelNames.chat(org, chatId), "one realtime name per chat channel");
        }
        if (!chat) {
            assertEquals(-1, chatId, "only a chat name has a chat id");
        }
        assertFalse(personal && chat, "personal and chat exclude each other");
    }
}

package dev.switchboard.wire;

import java.util.regex.Pattern;

/**
 * Channel names and the organisation scoping rule.
 *
 * <p>Every channel belongs to one organisation and its name starts with that
 * organisation's id: {@code <org>/<rest>}. A session may only address channels
 * of its own organisation, so no frame can cross organisations. Within an
 * organisation:
 * <ul>
 *   <li>{@code <org>/#<user>} is the personal channel of a user: only that user's
 *       sessions are subscribed to it (server-side, at connect); backends push to
 *       a user through it;</li>
 *   <li>{@code <org>/chat/<channelId>} is a chat channel of the message-service:
 *       persisted, sequenced, readable by its members only;</li>
 *   <li>any other name is an ephemeral channel open to the organisation.</li>
 * </ul>
 * A name is 3 to 255 characters of {@code [A-Za-z0-9_.:@=#/-]}.
 */
public final class ChannelNames {
    public static final int MAX_LENGTH = 255;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.:@=#/-]{1,190}");
    private static final String CHAT = "/chat/";

    private ChannelNames() {
    }

    public static boolean isValid(String channel) {
        return channel != null && channel.length() <= MAX_LENGTH && VALID.matcher(channel).matches();
    }

    /** The organisation a (valid) channel belongs to. */
    public static String org(String channel) {
        return channel.substring(0, channel.indexOf('/'));
    }

    public static boolean belongsTo(String channel, String org) {
        return channel.length() > org.length() && channel.charAt(org.length()) == '/' && channel.startsWith(org);
    }

    public static String personal(String org, String userId) {
        return org + "/#" + userId;
    }

    public static boolean isPersonal(String channel) {
        int slash = channel.indexOf('/');
        return slash > 0 && channel.length() > slash + 2 && channel.charAt(slash + 1) == '#';
    }

    /** The user of a personal channel. */
    public static String personalUser(String channel) {
        return channel.substring(channel.indexOf('/') + 2);
    }

    public static String chat(String org, long channelId) {
        return org + CHAT + channelId;
    }

    public static boolean isChat(String channel) {
        int slash = channel.indexOf('/');
        return slash > 0 && channel.startsWith(CHAT, slash);
    }

    /** The chat channels among {@code channels}. */
    public static java.util.List<String> chatOnly(String[] channels) {
        java.util.List<String> chat = new java.util.ArrayList<>();
        for (String c : channels) {
            if (isChat(c)) {
                chat.add(c);
            }
        }
        return chat;
    }

    /** The message-service id of a chat channel, or -1 if the name is not a well-formed chat channel. */
    public static long chatId(String channel) {
        int slash = channel.indexOf('/');
        if (slash < 0 || !channel.startsWith(CHAT, slash)) {
            return -1;
        }
        String digits = channel.substring(slash + CHAT.length());
        try {
            long id = Long.parseLong(digits);
            // One spelling per id, the one chat() writes: "07" or a non-ASCII digit would name a second
            // realtime channel for the same chat channel, which passes the membership check and never delivers.
            return id > 0 && Long.toString(id).equals(digits) ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

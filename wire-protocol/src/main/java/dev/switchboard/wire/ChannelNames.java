package dev.switchboard.wire;

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
    /** Longest organisation id, and longest rest after its slash: {@code [A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.:@=#/-]{1,190}}. */
    private static final int MAX_ORG = 64;
    private static final int MAX_REST = 190;
    private static final String CHAT = "/chat/";

    private ChannelNames() {
    }

    /**
     * Whether {@code channel} is {@code [A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.:@=#/-]{1,190}}; a scan of the characters
     * instead of a regular expression, which allocated a matcher per publish (ChannelNamesTest compares both).
     */
    public static boolean isValid(String channel) {
        if (channel == null) {
            return false;
        }
        int n = channel.length();
        int slash = -1;
        for (int i = 0; i < n; i++) {
            char c = channel.charAt(i);
            if (c == '/' && slash < 0) {
                slash = i;
            } else if (!(slash < 0 ? isOrgChar(c) : isRestChar(c))) {
                return false;
            }
        }
        return slash >= 1 && slash <= MAX_ORG && n - slash - 1 >= 1 && n - slash - 1 <= MAX_REST;
    }

    private static boolean isOrgChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }

    private static boolean isRestChar(char c) {
        return isOrgChar(c) || c == ':' || c == '@' || c == '=' || c == '#' || c == '/';
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

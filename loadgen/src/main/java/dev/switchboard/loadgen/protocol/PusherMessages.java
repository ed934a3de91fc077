package dev.switchboard.loadgen.protocol;

/**
 * Just enough JSON for Pusher frames: the value of the top-level
 * {@code "event"} key, found by scanning, because a load client reads
 * hundreds of thousands of deliveries a second and needs nothing else.
 */
final class PusherMessages {
    private static final String KEY = "\"event\"";

    private PusherMessages() {
    }

    /** The event name, or null if the text has no {@code "event":"..."}. */
    static String event(String json) {
        int k = json.indexOf(KEY);
        if (k < 0) {
            return null;
        }
        int i = k + KEY.length();
        while (i < json.length() && (json.charAt(i) == ' ' || json.charAt(i) == ':')) {
            i++;
        }
        if (i >= json.length() || json.charAt(i) != '"') {
            return null;
        }
        int end = json.indexOf('"', i + 1);
        return end < 0 ? null : json.substring(i + 1, end);
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}

package dev.switchboard.auth;

import java.util.regex.Pattern;

/** The shape of user and organisation ids: they appear in channel names, so they may not contain separators. */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Ids() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}

package dev.switchboard.message;

import java.util.Locale;

/** The push service a device token belongs to; the wire names are {@code "apns"} and {@code "fcm"}. */
public enum DevicePlatform {
    APNS, FCM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; anything else is a 400. */
    public static DevicePlatform of(String wireName) {
        if (wireName != null) {
            for (DevicePlatform p : values()) {
                if (p.wireName().equals(wireName)) {
                    return p;
                }
            }
        }
        throw ChatException.badRequest("platform must be \"apns\" or \"fcm\"");
    }
}

package dev.switchboard.message;

/**
 * A registered push target: a user's app on one device. A token names one
 * device of one platform, so it belongs to one user at a time (registering it
 * again moves it to the new user: the phone changed hands).
 */
public record Device(String org, String userId, DevicePlatform platform, String token) {
    public static final int MAX_TOKEN_LENGTH = 512;

    public Device {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH
                || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw ChatException.badRequest("token must be 1-" + MAX_TOKEN_LENGTH + " printable ASCII characters");
        }
    }
}

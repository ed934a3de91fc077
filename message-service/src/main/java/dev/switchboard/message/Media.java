package dev.switchboard.message;

import java.time.Instant;

/**
 * An uploaded image or video. {@code storageKey} names its bytes in the object
 * store; {@code channelId} and {@code messageId} are null until a message
 * references it, and then say whose members may download it.
 */
public record Media(long id, String org, String uploader, String contentType, long size, String storageKey,
                    Instant createdAt, Long channelId, Long messageId) {
}

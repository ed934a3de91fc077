package dev.switchboard.bridge;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How personal channels ({@code <org>/#<user>}) travel between nodes through Redis (ADR 0019): on one Redis
 * channel per user, or on one of {@link PersonalBuckets#BUCKETS} shared channels per organisation. Every process
 * of a fleet that publishes must reach every process that subscribes: a subscriber's way must be one its
 * publishers use. The two dual modes are the steps of a rolling upgrade from {@link #USERS}, one fleet-wide
 * restart each: {@code users} → {@code users-dual} → {@code buckets-dual} → {@code buckets}.
 */
public enum PersonalChannels {
    /** One Redis channel per user, as releases before ADR 0019 did. */
    USERS(true, false, false),
    /** Upgrade step 1: subscribes per user; publishes on both, so that the next step's nodes receive. */
    USERS_DUAL(true, true, false),
    /** Upgrade step 2: subscribes buckets; publishes on both, so that the previous step's nodes receive. */
    BUCKETS_DUAL(true, true, true),
    /** The default: buckets only. */
    BUCKETS(false, true, true);

    private final boolean publishesUser;
    private final boolean publishesBucket;
    private final boolean subscribesBucket;

    PersonalChannels(boolean publishesUser, boolean publishesBucket, boolean subscribesBucket) {
        this.publishesUser = publishesUser;
        this.publishesBucket = publishesBucket;
        this.subscribesBucket = subscribesBucket;
    }

    public boolean publishesUser() {
        return publishesUser;
    }

    public boolean publishesBucket() {
        return publishesBucket;
    }

    public boolean subscribesBucket() {
        return subscribesBucket;
    }

    /**
     * The mode's step in the upgrade (0 for {@code users} to 3 for {@code buckets}): processes whose steps differ by
     * more than one miss each other's pushes.
     */
    public int step() {
        return ordinal();
    }

    /** The name operators write: {@code users}, {@code users-dual}, {@code buckets-dual}, {@code buckets}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The mode an operator named.
     *
     * @throws IllegalArgumentException naming the modes there are
     */
    public static PersonalChannels parse(String label) {
        for (PersonalChannels mode : values()) {
            if (mode.label().equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown personal channel mode '" + label + "' (one of "
                + Arrays.stream(values()).map(PersonalChannels::label).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return label();
    }
}

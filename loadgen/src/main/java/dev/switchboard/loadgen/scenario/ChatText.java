package dev.switchboard.loadgen.scenario;

import java.util.SplittableRandom;

/**
 * Chat message texts of realistic sizes: most messages are a short line,
 * some a paragraph, a few a long paste (roughly the shape of team-chat
 * traffic: median ~40 characters, p99 ~1,000). Each text starts with the
 * timestamp marker {@code "sbts":<micros>}, which survives the
 * message-service's JSON payload (escaped or not) and is all the receiver reads.
 */
final class ChatText {
    private static final String WORDS = "the build is green again can you review my change before lunch "
            + "deploy goes out at four ship it thanks looks good to me ";

    private ChatText() {
    }

    /** A length in characters for the body, drawn from the size mix. */
    static int sampleLength(SplittableRandom random) {
        double u = random.nextDouble();
        if (u < 0.70) {
            return 5 + random.nextInt(60);
        }
        if (u < 0.97) {
            return 60 + random.nextInt(340);
        }
        return 400 + random.nextInt(1600);
    }

    static String text(long micros, int bodyLength) {
        StringBuilder sb = new StringBuilder(bodyLength + 32).append("\"sbts\":").append(micros).append(' ');
        for (int i = 0; i < bodyLength; i++) {
            sb.append(WORDS.charAt(i % WORDS.length()));
        }
        return sb.toString();
    }
}

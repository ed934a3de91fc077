package dev.switchboard.cli;

import dev.switchboard.auth.ApiKeys;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The fleet's internal credential (docs/security.md, "How keys are scoped"): edge
 * nodes present it to the message-service to relay their users' calls; the
 * message-service accepts it for that alone. It is never one of the backends'
 * {@code --api-key}s, so a backend key cannot act as an edge. Like API keys it may
 * be a comma-separated list during a rotation: the message-service accepts each,
 * an edge presents the first.
 */
final class InternalKeyOption {
    static final String ENV = "SWITCHBOARD_INTERNAL_KEY";

    @Option(names = "--internal-key", split = ",", defaultValue = "${env:" + ENV + "}",
            description = "The fleet's internal credential, at least 16 characters, the same on every edge node and "
                    + "message-service, which edges present to the message-service (generate one: openssl rand -hex 32). "
                    + "During a rotation a comma-separated list; the message-service accepts each, edges present the first.")
    List<String> internalKeys = new ArrayList<>();

    /** The credential an edge presents (the first), or null when none is given. */
    String value() {
        List<String> all = all();
        return all.isEmpty() ? null : all.get(0);
    }

    private List<String> all() {
        return internalKeys == null ? List.of()
                : internalKeys.stream().filter(k -> k != null && !k.isBlank()).map(String::strip).toList();
    }

    /** Checks their length, and that none is one of {@code auth}'s API keys (what config check can see). */
    void validate(CommandSpec spec, AuthOptions auth) {
        ring(spec, auth);
    }

    /** The keys a message-service accepts: the API keys and the internal credentials (either may be absent; null if both are). */
    ApiKeys ring(CommandSpec spec, AuthOptions auth) {
        return ring(spec, auth.apiKeys(spec));
    }

    /** {@code keys} (may be null) and the internal credentials. */
    ApiKeys ring(CommandSpec spec, ApiKeys keys) {
        ApiKeys ring = keys;
        try {
            for (String k : all()) {
                ApiKeys internal = ApiKeys.internal(k);
                ring = ring == null ? internal : ring.and(internal);
            }
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, "--internal-key", e.getMessage() + " (generate one: openssl rand -hex 32)", e);
        }
        return ring;
    }
}

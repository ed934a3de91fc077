package dev.switchboard.cli;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Token and API-key options shared by every server subcommand. */
final class AuthOptions {
    @Option(names = "--jwt-secret", defaultValue = "${env:SWITCHBOARD_JWT_SECRET}",
            description = "HS256 secret for connection tokens, at least 32 bytes (default: $SWITCHBOARD_JWT_SECRET).")
    String jwtSecret;

    @Option(names = "--jwt-previous-secret", defaultValue = "${env:SWITCHBOARD_JWT_PREVIOUS_SECRET}",
            description = "A second HS256 secret still accepted during a key rotation.")
    String jwtPreviousSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE",
            description = "RS256 public key (PEM or DER, X.509); repeat to accept several during a rotation.")
    List<Path> jwtPublicKeys = new ArrayList<>();

    @Option(names = "--api-key", paramLabel = "KEY", split = ",", defaultValue = "${env:SWITCHBOARD_API_KEYS}",
            description = "Server API key(s), at least 16 characters; several may be valid at once (default: $SWITCHBOARD_API_KEYS, comma-separated).")
    List<String> apiKeys = new ArrayList<>();

    TokenVerifier verifier(picocli.CommandLine cl) {
        TokenVerifier.Builder b = TokenVerifier.builder();
        try {
            if (jwtSecret != null && !jwtSecret.isBlank()) {
                b.hs256Secret(jwtSecret);
            }
            if (jwtPreviousSecret != null && !jwtPreviousSecret.isBlank()) {
                b.hs256Secret(jwtPreviousSecret);
            }
            for (Path p : jwtPublicKeys) {
                b.rs256PublicKeyFile(p);
            }
            return b.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(cl, "token keys: " + e.getMessage());
        }
    }

    /** The API keys, or null when none were given (the server API stays closed). */
    ApiKeys apiKeys(picocli.CommandLine cl) {
        List<String> keys = apiKeys == null ? List.of() : apiKeys.stream().filter(k -> k != null && !k.isBlank()).toList();
        if (keys.isEmpty()) {
            return null;
        }
        try {
            return new ApiKeys(keys);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--api-key: " + e.getMessage());
        }
    }
}

package dev.switchboard.cli;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Token and API-key options shared by every server subcommand (edge, messages, balancer). */
final class AuthOptions {
    /** The one environment variable of API keys, for servers (all of them) and for clients (the first). */
    static final String API_KEYS_ENV = "SWITCHBOARD_API_KEYS";

    @Option(names = "--jwt-secret", defaultValue = "${env:SWITCHBOARD_JWT_SECRET}",
            description = "HS256 secret for connection tokens, at least 32 bytes.")
    String jwtSecret;

    @Option(names = "--jwt-previous-secret", defaultValue = "${env:SWITCHBOARD_JWT_PREVIOUS_SECRET}",
            description = "A second HS256 secret still accepted during a key rotation.")
    String jwtPreviousSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE",
            description = "RS256 public key (PEM or DER, X.509); repeat to accept several during a rotation.")
    List<Path> jwtPublicKeys = new ArrayList<>();

    @Option(names = "--api-key", paramLabel = "KEY", split = ",", defaultValue = "${env:" + API_KEYS_ENV + "}",
            description = "Server API key(s), each 'org:ORG:SECRET' for a backend of one organisation or 'platform:SECRET' "
                    + "for one of every organisation, with secrets of at least 16 characters; several (comma-separated) "
                    + "may be valid at once, for a rotation. Clients present the secret of the first.")
    List<String> apiKeys = new ArrayList<>();

    /** Checks the values given (secret lengths, key files, API keys) without requiring any: what config check can see. */
    void validate(CommandSpec spec) {
        TokenVerifier.Builder b = TokenVerifier.builder();
        secret(spec, b, "--jwt-secret", jwtSecret);
        secret(spec, b, "--jwt-previous-secret", jwtPreviousSecret);
        publicKeys(spec, b);
        apiKeys(spec);
    }

    /** The token verifier, which needs a key; a ParameterException names the option whose value is wrong or missing. */
    TokenVerifier verifier(CommandSpec spec) {
        TokenVerifier.Builder b = TokenVerifier.builder();
        secret(spec, b, "--jwt-secret", jwtSecret);
        secret(spec, b, "--jwt-previous-secret", jwtPreviousSecret);
        publicKeys(spec, b);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, "--jwt-secret", "no key to verify connection tokens with: give --jwt-secret "
                    + "(or $SWITCHBOARD_JWT_SECRET) or --jwt-public-key", e);
        }
    }

    private void publicKeys(CommandSpec spec, TokenVerifier.Builder b) {
        for (Path p : jwtPublicKeys) {
            try {
                b.rs256PublicKeyFile(p);
            } catch (IOException | IllegalArgumentException e) {
                throw OptionProblems.of(spec, "--jwt-public-key", "cannot use " + p + ": " + e, e);
            }
        }
    }

    private static void secret(CommandSpec spec, TokenVerifier.Builder b, String option, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            b.hs256Secret(value);
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, option, e.getMessage() + " (generate one: openssl rand -hex 32)", e);
        }
    }

    /** The API keys, or null when none were given (the server API stays closed). */
    ApiKeys apiKeys(CommandSpec spec) {
        List<String> keys = nonBlank(apiKeys);
        if (keys.isEmpty()) {
            return null;
        }
        try {
            return ApiKeys.parse(keys);
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, "--api-key", e.getMessage() + " (generate one: openssl rand -hex 16)", e);
        }
    }

    /**
     * The secret a client presents: that of the first of a comma-separated list (what
     * $SWITCHBOARD_API_KEYS holds; {@code org:acme:S} and {@code platform:S} present S), or null.
     */
    static String first(List<String> keys) {
        List<String> k = nonBlank(keys);
        return k.isEmpty() ? null : ApiKeys.secretOf(k.get(0));
    }

    private static List<String> nonBlank(List<String> keys) {
        return keys == null ? List.of() : keys.stream().filter(k -> k != null && !k.isBlank()).map(String::strip).toList();
    }
}

package dev.switchboard.cli;

import dev.switchboard.auth.TokenIssuer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard token}: mints an HS256 connection token. */
@Command(name = "token",
        description = "Print a connection token (JWT, HS256) for a user of an organisation.")
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--user", required = true, description = "User id (the 'sub' claim).")
    String user;

    @Option(names = "--org", required = true, description = "Organisation id (the 'org' claim).")
    String org;

    @Option(names = "--jwt-secret", defaultValue = "${env:SWITCHBOARD_JWT_SECRET}",
            description = "HS256 secret, at least 32 bytes: the servers' --jwt-secret.")
    String secret;

    /** Deprecated spelling of --jwt-secret (every other command calls it so). */
    @Option(names = "--secret", hidden = true, description = "Deprecated: use --jwt-secret.")
    String deprecatedSecret;

    @Option(names = "--ttl", defaultValue = "1h", description = "Lifetime, e.g. 15m, 1h, 7d (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() {
        if (deprecatedSecret != null) {
            secret = deprecatedSecret;
        }
        if (secret == null || secret.isBlank()) {
            System.err.println("switchboard token: --jwt-secret (or $SWITCHBOARD_JWT_SECRET) is required: the servers' HS256 secret");
            return 2;
        }
        try {
            System.out.println(new TokenIssuer(secret).issue(user, org, ttl));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard token: --jwt-secret: " + e.getMessage());
            return 2;
        }
    }
}

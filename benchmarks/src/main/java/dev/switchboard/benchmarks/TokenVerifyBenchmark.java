package dev.switchboard.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.switchboard.auth.Claims;
import dev.switchboard.auth.TokenException;
import dev.switchboard.auth.TokenIssuer;
import dev.switchboard.auth.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JWT check of every WebSocket upgrade (HS256): the edge's
 * {@link TokenVerifier} (its own compact decoding, the thread's Mac, claim checks;
 * docs/adr/0017-lean-token-verification.md), and for comparison java-jwt's
 * verifier, which it replaced, and java-jwt's decoding alone (the JSON parse of
 * header and payload).
 */
@State(Scope.Thread)
public class TokenVerifyBenchmark extends BenchmarkBase {
    static final String SECRET = "benchmark-secret-0123456789abcdef0123";

    String token;
    TokenVerifier edge;
    JWTVerifier javaJwt;

    @Setup
    public void setUp() {
        token = new TokenIssuer(SECRET).issue("user-12345", "acme", Duration.ofHours(1));
        edge = TokenVerifier.builder().hs256Secret(SECRET).build();
        javaJwt = JWT.require(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8))).acceptLeeway(5).build();
    }

    @Benchmark
    public Claims edgeVerifier() throws TokenException {
        return edge.verify(token);
    }

    @Benchmark
    public DecodedJWT javaJwtHmac256() {
        return javaJwt.verify(token);
    }

    @Benchmark
    public DecodedJWT decodeOnly() {
        return JWT.decode(token);
    }
}

package io.streembit.gateway.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.util.Set;

/** Bearer tokens for the gateway under test: issuer and signing key of {@link GatewayTestEnvironment}. */
public final class TestJwts {
    private TestJwts() {}

    /** Claims with the test issuer, {@code sub} = {@code subject} and {@code groups}; add more, then {@link #sign}. */
    public static JwtClaimsBuilder claims(String subject, String... groups) {
        return Jwt.issuer(GatewayTestEnvironment.JWT_ISSUER).subject(subject).groups(Set.of(groups));
    }

    public static String sign(JwtClaimsBuilder claims) {
        return claims.sign(GatewayTestEnvironment.jwtSigningKey());
    }

    /** A token of {@code subject} with {@code groups}, valid for 5 minutes. */
    public static String token(String subject, String... groups) {
        return sign(claims(subject, groups));
    }
}

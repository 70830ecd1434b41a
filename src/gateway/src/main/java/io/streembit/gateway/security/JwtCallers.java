package io.streembit.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Attaches the {@link Caller} to an identity SmallRye JWT verified: {@code jwt:<sub>}, the roles
 * of the {@code groups} claim, the allow-list of the claims {@code streembit_devices} (array of
 * device ids) and {@code streembit_labels} (object of label values). A token whose allow-list
 * claims have another shape is refused: guessing would widen or narrow what it may command.
 */
@ApplicationScoped
public class JwtCallers implements SecurityIdentityAugmentor {
    public static final String DEVICES_CLAIM = "streembit_devices";
    public static final String LABELS_CLAIM = "streembit_labels";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(Caller.ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller;
        try {
            caller = caller(jwt);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException(e.getMessage()));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder(identity)
                        .addAttribute(Caller.ATTRIBUTE, caller)
                        .build());
    }

    static Caller caller(JsonWebToken jwt) {
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        return new Caller(
                "jwt:" + subject, groups, devices(jwt.getClaim(DEVICES_CLAIM)), labels(jwt.getClaim(LABELS_CLAIM)));
    }

    private static Set<String> devices(Object claim) {
        if (claim == null) {
            return Set.of();
        }
        if (!(claim instanceof Collection<?> values)) {
            throw new IllegalArgumentException("claim " + DEVICES_CLAIM + " is not an array of device ids");
        }
        Set<String> out = new HashSet<>();
        for (Object v : values) {
            out.add(text(v, DEVICES_CLAIM + " is not an array of device ids"));
        }
        return out;
    }

    private static Map<String, String> labels(Object claim) {
        if (claim == null) {
            return Map.of();
        }
        if (!(claim instanceof Map<?, ?> values)) {
            throw new IllegalArgumentException("claim " + LABELS_CLAIM + " is not an object of labels");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : values.entrySet()) {
            out.put(String.valueOf(e.getKey()), text(e.getValue(), LABELS_CLAIM + " values must be strings"));
        }
        return out;
    }

    private static String text(Object v, String problem) {
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("claim " + problem);
    }
}

package io.streembit.gateway.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code admin} implies {@code read} and {@code command}, for API keys and JWT groups alike. */
@ApplicationScoped
public class ImpliedRoles implements SecurityIdentityAugmentor {
    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(expand(identity));
    }

    static SecurityIdentity expand(SecurityIdentity identity) {
        if (identity.isAnonymous()
                || !identity.hasRole(Caller.ADMIN)
                || (identity.hasRole(Caller.READ) && identity.hasRole(Caller.COMMAND))) {
            return identity;
        }
        return QuarkusSecurityIdentity.builder(identity)
                .addRole(Caller.READ)
                .addRole(Caller.COMMAND)
                .build();
    }
}

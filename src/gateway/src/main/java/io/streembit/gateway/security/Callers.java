package io.streembit.gateway.security;

import io.quarkus.security.identity.SecurityIdentity;

import java.util.Map;
import java.util.Set;

/** The {@link Caller} of a request, as the gateway's authentication attached it to the identity. */
public final class Callers {
    /** An unauthenticated request (only public endpoints see one while authentication is on). */
    static final Caller UNAUTHENTICATED = new Caller("anonymous", Set.of(), Set.of(), Map.of());

    private Callers() {}

    /**
     * The caller stored as attribute {@link Caller#ATTRIBUTE}: every identity the gateway
     * authenticates carries one. An anonymous identity (a public endpoint) is an
     * {@code anonymous} caller without roles.
     *
     * @throws IllegalStateException for an authenticated identity without a caller (a bug)
     */
    public static Caller of(SecurityIdentity identity) {
        Object caller = identity.getAttribute(Caller.ATTRIBUTE);
        if (caller instanceof Caller c) {
            return c;
        }
        if (identity.isAnonymous()) {
            return UNAUTHENTICATED;
        }
        throw new IllegalStateException("the authenticated identity "
                + identity.getPrincipal().getName() + " carries no " + Caller.ATTRIBUTE + " attribute");
    }
}

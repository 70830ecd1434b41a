package io.streembit.gateway.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;

/**
 * The {@code X-API-Key} header. It runs before SmallRye JWT's bearer mechanism: a request with
 * no API key goes on to the bearer token. With {@code streembit.auth.enabled=false} it answers
 * every request with the {@code anonymous} admin, whatever credentials it carries.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {
    public static final String HEADER = "X-API-Key";
    /** Above SmallRye JWT's default of 1000 ({@code quarkus.smallrye-jwt.priority}). */
    static final int PRIORITY = 2000;

    static final Caller ANONYMOUS_ADMIN = new Caller("anonymous", Set.of(Caller.ADMIN), Set.of(), Map.of());

    private final AuthSettings settings;

    ApiKeyAuthenticationMechanism(AuthSettings settings) {
        this.settings = settings;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!settings.enabled()) {
            return Uni.createFrom().item(ImpliedRoles.expand(ApiKeyIdentityProvider.identity(ANONYMOUS_ADMIN)));
        }
        String key = context.request().getHeader(HEADER);
        if (key == null) {
            return Uni.createFrom().nullItem(); // no API key: the next mechanism (bearer) decides
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(key), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", settings.challenge()));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}

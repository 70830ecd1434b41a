package io.streembit.gateway.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.streembit.gateway.security.AuthSettings;
import io.streembit.gateway.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * 401 and 403 as {@link ApiError}s. Authentication is not proactive
 * ({@code quarkus.http.auth.proactive=false}), so these failures reach Quarkus REST and its
 * mappers; a 401 names the accepted schemes in {@code WWW-Authenticate}. Messages never repeat
 * a presented credential.
 */
public class SecurityExceptionMappers {
    private final AuthSettings settings;
    private final SecurityIdentity identity;

    SecurityExceptionMappers(AuthSettings settings, SecurityIdentity identity) {
        this.settings = settings;
        this.identity = identity;
    }

    /** No credentials on an endpoint that needs a role. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated("this endpoint needs an X-API-Key header"
                + (settings.jwtConfigured() ? " or an Authorization: Bearer token" : ""));
    }

    /** An unknown API key; a bearer token that is malformed, expired, from another issuer or badly signed. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated(
                settings.jwtConfigured()
                        ? "the API key or bearer token is not valid"
                        : "the API key is not valid (bearer tokens are not accepted: no JWT key is configured)");
    }

    /** Authenticated, without the role the endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        String needs = needs(resource);
        String who = Callers.of(identity).name();
        return Response.status(403)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("forbidden", who + " may not do this" + needs))
                .build();
    }

    private Response unauthenticated(String message) {
        return Response.status(401)
                .type(MediaType.APPLICATION_JSON)
                .header("WWW-Authenticate", settings.challenge())
                .entity(new ApiError("unauthenticated", message))
                .build();
    }

    private static String needs(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return "";
        }
        RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
        if (roles == null) {
            roles = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        return roles == null ? "" : ": it needs the role " + String.join(" or ", Arrays.asList(roles.value()));
    }
}

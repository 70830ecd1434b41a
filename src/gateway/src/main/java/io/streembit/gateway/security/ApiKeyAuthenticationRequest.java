package io.streembit.gateway.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The {@code X-API-Key} a request presented; {@link #toString} does not show it. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {
    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest";
    }
}

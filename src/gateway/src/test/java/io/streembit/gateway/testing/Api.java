package io.streembit.gateway.testing;

import io.restassured.specification.RequestSpecification;
import io.streembit.gateway.security.ApiKeyAuthenticationMechanism;

import static io.restassured.RestAssured.given;

/**
 * RestAssured requests with the test profile's credentials ({@link GatewayTestEnvironment}):
 * {@code Api.admin().get("/api/devices")}. Public endpoints ({@code /q/*}, the offer) need none:
 * use {@code given()} there.
 */
public final class Api {
    private Api() {}

    /** With {@link GatewayTestEnvironment#ADMIN_KEY}: every endpoint. */
    public static RequestSpecification admin() {
        return key(GatewayTestEnvironment.ADMIN_KEY);
    }

    /** With {@link GatewayTestEnvironment#READ_KEY}: the GET endpoints. */
    public static RequestSpecification reader() {
        return key(GatewayTestEnvironment.READ_KEY);
    }

    /** With {@link GatewayTestEnvironment#COMMAND_KEY}: commands to devices labelled {@link GatewayTestEnvironment#COMMAND_LABELS}. */
    public static RequestSpecification commander() {
        return key(GatewayTestEnvironment.COMMAND_KEY);
    }

    public static RequestSpecification key(String apiKey) {
        return given().header(ApiKeyAuthenticationMechanism.HEADER, apiKey);
    }

    /** With {@code Authorization: Bearer <token>} ({@link TestJwts}). */
    public static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}

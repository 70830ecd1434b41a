package io.streembit.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.TestJwts;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Who may call what: API keys and JWT bearer tokens, roles per endpoint, 401 and 403 as
 * {@code ApiError}s, and the endpoints that stay public.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class AuthTest {

    @Test
    void noCredentialsIsUnauthenticatedWithAChallenge() {
        for (String path : List.of(
                "/api/devices",
                "/api/devices/0000000000000000000000000000000000000000",
                "/api/devices/0000000000000000000000000000000000000000/problems",
                "/api/dead-letters")) {
            unauthenticated(given().get(path).then());
        }
        unauthenticated(given().contentType(ContentType.JSON)
                .body("{}")
                .post("/api/devices")
                .then());
        unauthenticated(given().delete("/api/devices/0000000000000000000000000000000000000000")
                .then());
        unauthenticated(given().post("/api/dead-letters/1/redrive").then());
        unauthenticated(given().post("/api/dead-letters/redrive").then());
        given().get("/api/devices")
                .then()
                .header("WWW-Authenticate", containsString("X-API-Key"))
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void anUnknownApiKeyIsUnauthenticated() {
        unauthenticated(Api.key("not-a-key").get("/api/devices").then())
                .body("message", not(containsString("not-a-key")));
        // near misses of a real key
        unauthenticated(Api.key(GatewayTestEnvironment.ADMIN_KEY + "x")
                .get("/api/devices")
                .then());
        unauthenticated(Api.key(GatewayTestEnvironment.ADMIN_KEY.toUpperCase())
                .get("/api/devices")
                .then());
        unauthenticated(Api.key("").get("/api/devices").then());
    }

    @Test
    void theReadKeyReadsButMayNotChangeAnything() {
        Api.reader().get("/api/devices").then().statusCode(200);
        Api.reader().get("/api/dead-letters").then().statusCode(200);
        Api.reader()
                .get("/api/devices/0000000000000000000000000000000000000000")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown-device"));
        forbidden(Api.reader()
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/api/devices")
                        .then())
                .body("message", containsString("api-key:test-read"))
                .body("message", containsString("admin"));
        forbidden(Api.reader()
                .delete("/api/devices/0000000000000000000000000000000000000000")
                .then());
        forbidden(Api.reader().post("/api/dead-letters/1/redrive").then());
        forbidden(Api.reader().post("/api/dead-letters/redrive").then());
    }

    @Test
    void theAdminKeyMayDoEverything() {
        Api.admin().get("/api/devices").then().statusCode(200);
        Api.admin().get("/api/dead-letters").then().statusCode(200);
        // past authentication: the registry's own refusal
        Api.admin()
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/devices")
                .then()
                .statusCode(422)
                .body("error", equalTo("malformed"));
        Api.admin().delete("/api/devices/unknown").then().statusCode(404);
        Api.admin()
                .post("/api/dead-letters/999999999/redrive")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown-dead-letter"));
    }

    @Test
    void theCommandKeyHasNoReadRole() {
        forbidden(Api.commander().get("/api/devices").then()).body("message", containsString("api-key:test-command"));
    }

    @Test
    void aValidBearerTokenAuthenticatesWithItsGroups() {
        Api.bearer(TestJwts.token("alice", "read")).get("/api/devices").then().statusCode(200);
        forbidden(Api.bearer(TestJwts.token("alice", "read"))
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/api/devices")
                        .then())
                .body("message", containsString("jwt:alice"));
        // admin implies read
        Api.bearer(TestJwts.token("root", "admin"))
                .get("/api/dead-letters")
                .then()
                .statusCode(200);
        Api.bearer(TestJwts.token("root", "admin"))
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/devices")
                .then()
                .statusCode(422);
        // groups without read
        forbidden(
                Api.bearer(TestJwts.token("bob", "command")).get("/api/devices").then());
        forbidden(Api.bearer(TestJwts.token("carol")).get("/api/devices").then());
        // an allow-list in the expected shape is accepted
        Api.bearer(TestJwts.sign(TestJwts.claims("dave", "read")
                        .claim("streembit_devices", List.of("a9c6287c794817903fcce3cab762b787798486f5"))
                        .claim("streembit_labels", Map.of("site", "lab"))))
                .get("/api/devices")
                .then()
                .statusCode(200);
    }

    @Test
    void anInvalidBearerTokenIsUnauthenticated() throws Exception {
        long now = Instant.now().getEpochSecond();
        String expired = TestJwts.sign(
                TestJwts.claims("alice", "read").issuedAt(now - 7200).expiresAt(now - 3600));
        unauthenticated(Api.bearer(expired).get("/api/devices").then());

        String otherIssuer = Jwt.issuer("https://somewhere.else")
                .subject("alice")
                .groups("read")
                .sign(GatewayTestEnvironment.jwtSigningKey());
        unauthenticated(Api.bearer(otherIssuer).get("/api/devices").then());

        String otherKey = TestJwts.claims("alice", "read")
                .sign(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate());
        unauthenticated(Api.bearer(otherKey).get("/api/devices").then());

        unauthenticated(Api.bearer("not.a.jwt").get("/api/devices").then());
        // an allow-list claim of the wrong shape: refused, not guessed
        String badClaim = TestJwts.sign(TestJwts.claims("alice", "read").claim("streembit_devices", "one-device"));
        unauthenticated(Api.bearer(badClaim).get("/api/devices").then());
    }

    @Test
    void healthMetricsOpenApiAndTheOfferNeedNoCredentials() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/api/gateway/offer").then().statusCode(200);
        // credentials on a public endpoint are not even looked at
        Api.key("not-a-key").get("/api/gateway/offer").then().statusCode(200);
        Api.key("not-a-key").get("/q/health/ready").then().statusCode(200);
    }

    private static ValidatableResponse unauthenticated(ValidatableResponse response) {
        return response.statusCode(401)
                .contentType(ContentType.JSON)
                .header("WWW-Authenticate", notNullValue())
                .body("error", equalTo("unauthenticated"))
                .body("message", notNullValue());
    }

    private static ValidatableResponse forbidden(ValidatableResponse response) {
        return response.statusCode(403)
                .contentType(ContentType.JSON)
                .body("error", equalTo("forbidden"))
                .body("message", notNullValue());
    }
}

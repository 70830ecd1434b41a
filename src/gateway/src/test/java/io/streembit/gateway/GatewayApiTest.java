package io.streembit.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.streembit.device.Things;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.DhtTestNetwork;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The REST surface an operator or a provisioning tool uses, and every refusal it answers. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class GatewayApiTest {

    @Test
    void theGatewayOfferIsSignedByItsKeyAndNamesItsDhtAddress() throws Exception {
        String armored = given().get("/api/gateway/offer")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .extract()
                .asString();
        VerifiedContactOffer offer = ContactOffers.parse(armored);
        assertThat(offer.userType()).isEqualTo(UserType.GATEWAY);
        assertThat(offer.host()).isEqualTo("127.0.0.1");
        assertThat(offer.port()).isPositive();
    }

    @Test
    void registrationRefusesWhatIsNotAVerifiedDeviceOffer() {
        Identity device = Identity.generate(DhtTestNetwork.RANDOM);
        String offer = ContactOffers.create(
                device, UserType.DEVICE, "127.0.0.1", 1, "tcp", Things.forDevice("door-lock", device.account()));
        // a tampered offer: one character of the armored signature changed
        String[] lines = offer.split("\n");
        int last = lines.length - 2; // the last base64 line: the end of the signature
        String line = lines[last];
        lines[last] = line.substring(0, 5) + (line.charAt(5) == 'A' ? 'B' : 'A') + line.substring(6);
        post(Map.of("offer", String.join("\n", lines))).statusCode(422).body("error", notNullValue());
        post(Map.of()).statusCode(422).body("error", equalTo("malformed"));
        String human = ContactOffers.create(device, UserType.HUMAN, "127.0.0.1", 1, "tcp", null);
        post(Map.of("offer", human)).statusCode(422).body("error", equalTo("not-a-device"));
        Api.admin()
                .contentType(ContentType.JSON)
                .body("{not json")
                .post("/api/devices")
                .then()
                .statusCode(400)
                .body("error", equalTo("malformed"));
        // a device that publishes no TD and sends none: nothing to validate its readings against
        String bare = ContactOffers.create(device, UserType.DEVICE, "127.0.0.1", 1, "tcp", null);
        post(Map.of("offer", bare)).statusCode(422).body("error", equalTo("td-unavailable"));
        // an invalid TD in the request
        post(Map.of("offer", bare, "td", Map.of("title", "no id, no @context"))).statusCode(422);

        post(Map.of("offer", offer, "name", "front door"))
                .statusCode(201)
                .header("Location", containsString("/api/devices/" + device.account()))
                .body("name", equalTo("front door"))
                .body("tdSource", equalTo("offer"));
        post(Map.of("offer", offer)).statusCode(409).body("error", equalTo("already-registered"));
        Api.admin().get("/api/devices").then().statusCode(200).body("id", hasItem(device.account()));
        Api.admin()
                .get("/api/devices/0000000000000000000000000000000000000000")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown-device"));

        // revoked, then registered again: active once more
        Api.admin().delete("/api/devices/" + device.account()).then().statusCode(204);
        post(Map.of("offer", offer)).statusCode(201).body("status", equalTo("active"));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", hasItem("streembit-dht"))
                .body("checks.name", hasItem("streembit-kafka"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("streembit_dht_peers"));
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString("/api/devices/{id}/problems"))
                .body(containsString("/api/dead-letters/{id}/redrive"))
                .body(containsString("/api/devices/{id}/commands"))
                // the API-key scheme, so Swagger UI's "Authorize" can send X-API-Key
                .body("components.securitySchemes.SecurityScheme.type", equalTo("apiKey"))
                .body("components.securitySchemes.SecurityScheme.name", equalTo("X-API-Key"))
                .body("components.securitySchemes.SecurityScheme.in", equalTo("header"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse post(Map<String, ?> body) {
        return Api.admin()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/devices")
                .then();
    }
}

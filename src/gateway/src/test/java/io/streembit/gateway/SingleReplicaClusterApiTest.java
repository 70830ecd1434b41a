package io.streembit.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streembit.gateway.testing.Api;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** By default the gateway is a single replica: GET /api/cluster says so, and needs the read role. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class SingleReplicaClusterApiTest {
    @Test
    void aSingleReplicaSaysSo() {
        Api.reader()
                .get("/api/cluster")
                .then()
                .statusCode(200)
                .body("mode", equalTo("single"))
                .body("ready", equalTo(true))
                .body("member", nullValue());
        io.restassured.RestAssured.given().get("/api/cluster").then().statusCode(401);
    }
}

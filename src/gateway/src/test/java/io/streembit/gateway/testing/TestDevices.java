package io.streembit.gateway.testing;

import io.restassured.http.ContentType;
import io.streembit.device.CommandHandler;
import io.streembit.device.DeviceAgent;
import io.streembit.device.DeviceOptions;
import io.streembit.device.Things;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.VerifiedContactOffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.streembit.gateway.testing.DhtTestNetwork.await;

/** Real SDK devices on the test network, provisioned with the running gateway's offer. */
public final class TestDevices {
    private TestDevices() {}

    /** The running gateway's offer, as a device is provisioned with it. */
    public static VerifiedContactOffer gatewayOffer() throws Exception {
        return ContactOffers.parse(given().get("/api/gateway/offer")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    public static DeviceOptions.Builder options(String kind, Identity identity, Path bufferDir) throws Exception {
        DhtTestNetwork network = GatewayTestEnvironment.network();
        return DeviceOptions.builder(identity, Things.forDevice(kind, identity.account()), gatewayOffer(), bufferDir)
                .seeds(network.seeds())
                .batch(10, Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(500))
                .republish(Duration.ofSeconds(3), 200)
                .dht(DhtTestNetwork.options());
    }

    /** Starts a device of {@code kind} with a fresh key and buffer directory. */
    public static DeviceAgent start(String kind) throws Exception {
        return start(options(kind, Identity.generate(DhtTestNetwork.RANDOM), Files.createTempDirectory("device"))
                .build());
    }

    public static DeviceAgent start(DeviceOptions options) throws Exception {
        return start(options, CommandHandler.none());
    }

    public static DeviceAgent start(DeviceOptions options, CommandHandler handler) throws Exception {
        return await(DeviceAgent.start(GatewayTestEnvironment.network().vertx, options, handler));
    }

    /** Registers {@code agent} at the gateway with its own offer (which carries its TD). */
    public static void register(DeviceAgent agent) {
        Api.admin()
                .contentType(ContentType.JSON)
                .body(Map.of("offer", agent.contactOffer(), "name", "test device"))
                .post("/api/devices")
                .then()
                .statusCode(201);
    }
}

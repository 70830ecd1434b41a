package io.streembit.gateway;

import com.fasterxml.jackson.databind.node.DoubleNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streembit.device.DeviceAgent;
import io.streembit.gateway.testing.GatewayTestEnvironment;
import io.streembit.gateway.testing.TestDevices;
import io.streembit.protocol.feed.Reading;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streembit.gateway.testing.DhtTestNetwork.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Devices from the SDK publish over a multi-node DHT; every reading lands once in every sink. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestEnvironment.class, restrictToAnnotatedClass = false)
class GatewayIngestTest {

    static long count(String sql) throws Exception {
        var pg = GatewayTestEnvironment.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void everyReadingOfEveryDeviceLandsExactlyOnceInPostgres() throws Exception {
        DeviceAgent device = TestDevices.start("thermostat");
        try {
            TestDevices.register(device);
            List<Reading> sent = new ArrayList<>();
            long ts = 1_764_000_000_000L;
            for (int i = 0; i < 45; i++) {
                Reading r = new Reading("temperature", ts + i, DoubleNode.valueOf(20 + i / 10.0));
                sent.add(r);
                await(device.publish(r));
            }
            await(device.flush());
            String id = device.account();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(count("SELECT count(*) FROM readings WHERE device_id = '" + id + "'")).isEqualTo(45));
            assertThat(count("SELECT count(DISTINCT (seq, idx)) FROM readings WHERE device_id = '" + id + "'"))
                    .isEqualTo(45);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(device.stats().ackedN()).isEqualTo(device.stats().lastN()));
        } finally {
            await(device.stop());
        }
    }
}

package io.streembit.gateway.camel;

import com.fasterxml.jackson.databind.node.DecimalNode;
import io.streembit.device.Things;
import io.streembit.gateway.ingest.TestBatches;
import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The telemetry body is written when read, and is then exactly what the sinks got before. */
class TelemetryExchangeMessageTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity DEVICE = Identity.generate(RANDOM);
    private static final VerifiedBatch BATCH = TestBatches.batch(
            DEVICE,
            Identity.generate(RANDOM),
            Things.forDevice("thermostat", DEVICE.account()),
            List.of(new Reading("temperature", 1_764_000_000_000L, DecimalNode.valueOf(new BigDecimal("21.5")))),
            Instant.parse("2025-11-24T16:00:00Z"));
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void stop() throws Exception {
        CAMEL.close();
    }

    private static Message message() {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setIn(new TelemetryExchangeMessage(exchange, BATCH));
        return exchange.getIn();
    }

    @Test
    void theBodyReadIsTheTelemetryJsonAndIsWrittenOnce() {
        Message in = message();
        String body = in.getBody(String.class);
        assertThat(body).isEqualTo(TelemetryMessage.body(BATCH)).contains("\"seq\":1", "21.5");
        assertThat(in.getBody()).isSameAs(body);
        assertThat(in.copy().getBody()).isEqualTo(body); // a multicast's or wire tap's copy carries it
    }

    @Test
    void aBodySetByAStepWinsEvenWhenItIsNull() {
        Message replaced = message();
        replaced.setBody("{\"mine\":true}");
        assertThat(replaced.getBody(String.class)).isEqualTo("{\"mine\":true}");

        Message cleared = message();
        cleared.setBody(null);
        assertThat(cleared.getBody()).isNull();
    }
}

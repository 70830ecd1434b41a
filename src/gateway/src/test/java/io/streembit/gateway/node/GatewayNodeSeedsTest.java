package io.streembit.gateway.node;

import io.streembit.dht.HostPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** streembit.dht.seeds is read once, before the node starts; a malformed seed stops the start. */
class GatewayNodeSeedsTest {
    @Test
    void seedsAreParsedOnce() {
        assertThat(GatewayNode.seeds(List.of("seed-0.streembit-seed.iot.svc:4000", " [::1]:4001 ")))
                .containsExactly(new HostPort("seed-0.streembit-seed.iot.svc", 4000), new HostPort("::1", 4001));
        assertThat(GatewayNode.seeds(List.of())).isEmpty();
    }

    @Test
    void aSeedWithoutAPortFailsInOneLineNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> GatewayNode.seeds(List.of("seed-0:4000", "seed-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("streembit.dht.seeds: 'seed-1' has no port (expected host:port, or [IPv6]:port)")
                .hasNoCause();
        assertThatThrownBy(() -> GatewayNode.seeds(List.of("seed-0:http")))
                .hasMessageStartingWith("streembit.dht.seeds: 'seed-0:http' ");
    }
}

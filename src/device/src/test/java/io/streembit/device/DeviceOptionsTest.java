package io.streembit.device;

import io.streembit.dht.HostPort;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The documented defaults, and configurations that cannot work refused up front. */
class DeviceOptionsTest {
    private static final Identity DEVICE = Identity.generate(TestNetwork.RANDOM);
    private static final Identity GATEWAY = Identity.generate(TestNetwork.RANDOM);

    private static VerifiedContactOffer offer(Identity who, UserType type) throws Exception {
        return ContactOffers.parse(ContactOffers.create(who, type, "gw.example.net", 32320, "tcp", null));
    }

    @Test
    void defaults(@TempDir Path dir) throws Exception {
        DeviceOptions o = DeviceOptions.builder(
                        DEVICE, Things.load("thermostat"), offer(GATEWAY, UserType.GATEWAY), dir)
                .build();
        assertThat(o.seeds()).containsExactly(new HostPort("gw.example.net", 32320));
        assertThat(o.controllers()).isEmpty();
        assertThat(o.allControllers()).containsExactly(GATEWAY.publicKey());
        assertThat(o.batchMaxReadings()).isEqualTo(50);
        assertThat(o.batchMaxDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.bufferCapacity()).isEqualTo(10_000);
        assertThat(o.fullPolicy()).isEqualTo(BufferFullPolicy.BLOCK);
        assertThat(o.bufferFullWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.syncWrites()).isTrue();
        assertThat(o.entryTtl()).isEqualTo(Duration.ofHours(6));
        assertThat(o.republishInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.republishMaxEntries()).isEqualTo(100);
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.tdTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void configurationsThatCannotWorkAreRefused(@TempDir Path dir) throws Exception {
        VerifiedContactOffer gateway = offer(GATEWAY, UserType.GATEWAY);
        DeviceOptions ok = DeviceOptions.builder(DEVICE, Things.load("thermostat"), gateway, dir)
                .build();
        assertThatThrownBy(() -> DeviceOptions.builder(
                                DEVICE, Things.load("thermostat"), offer(GATEWAY, UserType.HUMAN), dir)
                        .build())
                .hasMessageContaining("expected gateway");
        assertThatThrownBy(() -> ok.toBuilder().entryTtl(Duration.ofHours(25)).build())
                .hasMessageContaining("24 h");
        assertThatThrownBy(() -> ok.toBuilder().entryTtl(Duration.ZERO).build()).hasMessageContaining("entryTtl");
        assertThatThrownBy(() -> ok.toBuilder().batch(0, Duration.ofSeconds(1)).build())
                .hasMessageContaining("batchMaxReadings");
        assertThatThrownBy(() -> ok.toBuilder().seeds(List.of("no-port")).build())
                .hasMessageContaining("'no-port'")
                .hasMessageContaining("host:port");
        assertThatThrownBy(() ->
                        ok.toBuilder().seeds(List.of("seed:4000", "seed:0")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seed:0'");
        assertThatThrownBy(() -> ok.toBuilder().bufferDir(null).build()).isInstanceOf(NullPointerException.class);
        assertThat(ok.toBuilder()
                        .controllers(Set.of(DEVICE.publicKey()))
                        .build()
                        .allControllers())
                .containsExactly(GATEWAY.publicKey(), DEVICE.publicKey());
    }

    @Test
    void seedsAreReadOnceFromTheirText(@TempDir Path dir) throws Exception {
        DeviceOptions o = DeviceOptions.builder(
                        DEVICE, Things.load("thermostat"), offer(GATEWAY, UserType.GATEWAY), dir)
                .seeds(List.of("seed-0.example.net:4000", "[2001:db8::7]:4001"))
                .build();
        assertThat(o.seeds())
                .containsExactly(new HostPort("seed-0.example.net", 4000), new HostPort("2001:db8::7", 4001));
        assertThat(o.toBuilder().build().seeds()).isEqualTo(o.seeds());
    }

    @Test
    void anIdentityComesFromAKeyFileAndItsPasscode(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("device.key");
        KeyFile.create(DEVICE, "Correct-Horse-9".toCharArray(), new KdfParams(64, 1, 1), TestNetwork.RANDOM)
                .write(file);
        assertThat(DeviceOptions.loadIdentity(file, "Correct-Horse-9".toCharArray())
                        .publicKey())
                .isEqualTo(DEVICE.publicKey());
    }
}

package io.streembit.device.sim;

import io.streembit.device.Things;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.keyfile.KdfParams;
import io.streembit.protocol.offer.VerifiedContactOffer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Simulator} runs: the {@code streembit simulate} flags, as a plain value.
 *
 * @param gateway      the gateway's verified contact offer ({@code --gateway-offer FILE})
 * @param seeds        DHT nodes to join through ({@code --seed HOST:PORT}, repeatable; default
 *                     the gateway offer's host:port)
 * @param devices      how many devices ({@code --devices N}, at least 1)
 * @param rate         readings per second per device ({@code --rate R}, default 1)
 * @param batch        readings per feed entry at most ({@code --batch B}, default 50)
 * @param batchDelay   a batch is sealed at the latest after this (default 1 s)
 * @param kind         {@code thermostat}, {@code door-lock}, {@code energy-meter} or
 *                     {@code mixed} (cycles through the three; {@code --kind}, default mixed)
 * @param keysDir      device key files {@code device-0000.key}...; existing ones are reused
 *                     ({@code --keys DIR})
 * @param offersDir    where each device's contact offer is written, {@code device-0000.offer}
 *                     ({@code --offers-out DIR}; null: none written)
 * @param buffersDir   the devices' buffer directories (default {@code <keysDir>/buffers})
 * @param passcode     the passcode of the key files (the policy applies: 10+ characters, mixed)
 * @param kdf          Argon2id parameters for new key files (default {@link KdfParams#DEFAULT})
 * @param dht          each device's node options (default {@link DhtOptions#defaults()}: an
 *                     ephemeral port on 127.0.0.1; set the host for a remote network)
 * @param randomSeed   seeds the evolution of the values (device i uses {@code randomSeed + i})
 * @param startWave    devices starting at once (default 8), so seeds are not flooded with joins
 */
public record SimulatorOptions(
        VerifiedContactOffer gateway,
        List<HostPort> seeds,
        int devices,
        double rate,
        int batch,
        Duration batchDelay,
        String kind,
        Path keysDir,
        Path offersDir,
        Path buffersDir,
        char[] passcode,
        KdfParams kdf,
        DhtOptions dht,
        long randomSeed,
        int startWave) {
    public static final String MIXED = "mixed";

    public SimulatorOptions {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(keysDir, "keysDir");
        Objects.requireNonNull(passcode, "passcode");
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be at least 1");
        }
        if (!(rate > 0) || rate > 10_000) {
            throw new IllegalArgumentException("rate must lie in (0, 10000] readings per second per device");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
        batchDelay = batchDelay == null ? Duration.ofSeconds(1) : batchDelay;
        kind = kind == null ? MIXED : kind;
        if (!kind.equals(MIXED) && !Things.KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + Things.KINDS + " or mixed, got '" + kind + "'");
        }
        buffersDir = buffersDir == null ? keysDir.resolve("buffers") : buffersDir;
        kdf = kdf == null ? KdfParams.DEFAULT : kdf;
        dht = dht == null ? DhtOptions.defaults() : dht;
        if (startWave < 1) {
            throw new IllegalArgumentException("startWave must be at least 1");
        }
    }

    /** The defaults for everything but the gateway, the fleet size, the keys and their passcode. */
    public static SimulatorOptions of(VerifiedContactOffer gateway, int devices, Path keysDir, char[] passcode) {
        return new SimulatorOptions(
                gateway, List.of(), devices, 1, 50, null, MIXED, keysDir, null, null, passcode, null, null, 1, 8);
    }

    /** The kind of device {@code index}. */
    public String kindOf(int index) {
        return kind.equals(MIXED) ? Things.KINDS.get(index % Things.KINDS.size()) : kind;
    }

    public SimulatorOptions withSeeds(List<HostPort> value) {
        return new SimulatorOptions(
                gateway,
                value,
                devices,
                rate,
                batch,
                batchDelay,
                kind,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                kdf,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withRate(double value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                value,
                batch,
                batchDelay,
                kind,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                kdf,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withBatch(int value, Duration delay) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                value,
                delay,
                kind,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                kdf,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withKind(String value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                batch,
                batchDelay,
                value,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                kdf,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withOffersDir(Path value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                batch,
                batchDelay,
                kind,
                keysDir,
                value,
                buffersDir,
                passcode,
                kdf,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withBuffersDir(Path value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                batch,
                batchDelay,
                kind,
                keysDir,
                offersDir,
                value,
                passcode,
                kdf,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withKdf(KdfParams value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                batch,
                batchDelay,
                kind,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                value,
                dht,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withDht(DhtOptions value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                batch,
                batchDelay,
                kind,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                kdf,
                value,
                randomSeed,
                startWave);
    }

    public SimulatorOptions withRandomSeed(long value) {
        return new SimulatorOptions(
                gateway,
                seeds,
                devices,
                rate,
                batch,
                batchDelay,
                kind,
                keysDir,
                offersDir,
                buffersDir,
                passcode,
                kdf,
                dht,
                value,
                startWave);
    }

    @Override
    public String toString() {
        return "SimulatorOptions[gateway=" + gateway.account() + ", seeds=" + seeds + ", devices=" + devices + ", rate="
                + rate + ", batch=" + batch + ", kind=" + kind + ", keysDir=" + keysDir + ", offersDir=" + offersDir
                + ", passcode=(redacted)]";
    }
}

package io.streembit.device;

import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.td.ThingDescription;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link DeviceAgent} is configured with, as a plain immutable value. Build it with
 * {@link #builder}; every default is below and in {@code docs/device.md}.
 *
 * @param identity            the device's key (see {@link #loadIdentity} for a key file)
 * @param thingDescription    what the device is; published as its {@code td} record, and the
 *                            schema every reading and command input is checked against
 * @param gateway             the gateway's verified contact offer (user type {@code gateway}): its
 *                            key is the feed's only reader and the default command signer
 * @param seeds               DHT nodes to join through (default: the gateway offer's host and
 *                            port); the builder also reads them as text, {@code host:port}
 * @param controllers         keys allowed to send commands besides the gateway's (default none)
 * @param batchMaxReadings    a batch is sealed when it holds this many readings (default 50)
 * @param batchMaxDelay       ... or when its first reading is this old (default 1 s)
 * @param bufferDir           the durable buffer's directory (feed entries, ack watermark, seen
 *                            command ids); one agent at a time (locked)
 * @param bufferCapacity      unacknowledged entries the buffer holds (default 10,000)
 * @param fullPolicy          what happens past the capacity (default {@link BufferFullPolicy#BLOCK})
 * @param bufferFullWait      how long a batch waits for space under BLOCK (default 5 s)
 * @param syncWrites          force each buffer write to disk before sending (default true; false
 *                            survives a process kill but not a power cut)
 * @param entryTtl            lifetime of a feed entry in the network, at most the network's 24 h
 *                            (default 6 h): the gateway must fetch it within that time
 * @param republishInterval   an unacknowledged entry is re-sent this long after its last sending
 *                            (default 30 s)
 * @param republishMaxEntries entries re-sent per republish round, oldest first (default 100)
 * @param commandTimeout      a command handler must answer within this (default 10 s)
 * @param pollInterval        the ack and command subscriptions also poll this often, in case a
 *                            notification is lost (default 5 s)
 * @param tdTtl               lifetime of the {@code td} record, at most 24 h; republished with a
 *                            new seq at half of it (default 12 h)
 * @param dht                 the embedded DHT node's options (default {@link DhtOptions#defaults()})
 */
public record DeviceOptions(
        Identity identity,
        ThingDescription thingDescription,
        VerifiedContactOffer gateway,
        List<HostPort> seeds,
        Set<PublicKey> controllers,
        int batchMaxReadings,
        Duration batchMaxDelay,
        Path bufferDir,
        int bufferCapacity,
        BufferFullPolicy fullPolicy,
        Duration bufferFullWait,
        boolean syncWrites,
        Duration entryTtl,
        Duration republishInterval,
        int republishMaxEntries,
        Duration commandTimeout,
        Duration pollInterval,
        Duration tdTtl,
        DhtOptions dht) {

    private static final Duration MAX_TTL = Duration.ofSeconds(RecordLimits.DEFAULT_MAX_TTL_SECONDS);

    public DeviceOptions {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(thingDescription, "thingDescription");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(bufferDir, "bufferDir");
        Objects.requireNonNull(fullPolicy, "fullPolicy");
        Objects.requireNonNull(dht, "dht");
        if (gateway.userType() != UserType.GATEWAY) {
            throw new IllegalArgumentException(
                    "the gateway's contact offer has user type " + gateway.userType() + ", expected gateway");
        }
        seeds = seeds == null || seeds.isEmpty()
                ? List.of(new HostPort(gateway.host(), gateway.port()))
                : List.copyOf(seeds);
        controllers = controllers == null ? Set.of() : Set.copyOf(controllers);
        positive(batchMaxReadings, "batchMaxReadings");
        positive(batchMaxDelay, "batchMaxDelay");
        positive(bufferCapacity, "bufferCapacity");
        if (bufferFullWait == null || bufferFullWait.isNegative()) {
            throw new IllegalArgumentException("bufferFullWait must not be negative");
        }
        lifetime(entryTtl, "entryTtl");
        positive(republishInterval, "republishInterval");
        positive(republishMaxEntries, "republishMaxEntries");
        positive(commandTimeout, "commandTimeout");
        positive(pollInterval, "pollInterval");
        lifetime(tdTtl, "tdTtl");
    }

    /** Options with every default; the four arguments have none. */
    public static Builder builder(
            Identity identity, ThingDescription thingDescription, VerifiedContactOffer gateway, Path bufferDir) {
        return new Builder(identity, thingDescription, gateway, bufferDir);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Opens a key file with its passcode (the caller clears the passcode afterwards). */
    public static Identity loadIdentity(Path keyFile, char[] passcode) throws IOException, ProtocolException {
        return KeyFile.read(keyFile).open(passcode);
    }

    /** The keys whose commands the device executes: the gateway's first, then the extra controllers. */
    public Set<PublicKey> allControllers() {
        Set<PublicKey> all = new LinkedHashSet<>();
        all.add(gateway.publicKey());
        all.addAll(controllers);
        return all;
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void lifetime(Duration value, String name) {
        if (value == null || value.getSeconds() < 1 || value.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    name + " must lie between 1 s and the network's maximum of " + MAX_TTL.toHours() + " h");
        }
    }

    @Override
    public String toString() {
        return "DeviceOptions[device=" + identity.account() + ", gateway=" + gateway.account() + ", seeds=" + seeds
                + ", controllers=" + controllers.size() + ", bufferDir=" + bufferDir + "]";
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Identity identity;
        private ThingDescription thingDescription;
        private VerifiedContactOffer gateway;
        private Path bufferDir;
        private List<HostPort> seeds = List.of();
        private Set<PublicKey> controllers = Set.of();
        private int batchMaxReadings = 50;
        private Duration batchMaxDelay = Duration.ofSeconds(1);
        private int bufferCapacity = 10_000;
        private BufferFullPolicy fullPolicy = BufferFullPolicy.BLOCK;
        private Duration bufferFullWait = Duration.ofSeconds(5);
        private boolean syncWrites = true;
        private Duration entryTtl = Duration.ofHours(6);
        private Duration republishInterval = Duration.ofSeconds(30);
        private int republishMaxEntries = 100;
        private Duration commandTimeout = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration tdTtl = Duration.ofHours(12);
        private DhtOptions dht = DhtOptions.defaults();

        private Builder(
                Identity identity, ThingDescription thingDescription, VerifiedContactOffer gateway, Path bufferDir) {
            this.identity = identity;
            this.thingDescription = thingDescription;
            this.gateway = gateway;
            this.bufferDir = bufferDir;
        }

        private Builder(DeviceOptions o) {
            this(o.identity, o.thingDescription, o.gateway, o.bufferDir);
            seeds = o.seeds;
            controllers = o.controllers;
            batchMaxReadings = o.batchMaxReadings;
            batchMaxDelay = o.batchMaxDelay;
            bufferCapacity = o.bufferCapacity;
            fullPolicy = o.fullPolicy;
            bufferFullWait = o.bufferFullWait;
            syncWrites = o.syncWrites;
            entryTtl = o.entryTtl;
            republishInterval = o.republishInterval;
            republishMaxEntries = o.republishMaxEntries;
            commandTimeout = o.commandTimeout;
            pollInterval = o.pollInterval;
            tdTtl = o.tdTtl;
            dht = o.dht;
        }

        public Builder identity(Identity value) {
            identity = value;
            return this;
        }

        public Builder thingDescription(ThingDescription value) {
            thingDescription = value;
            return this;
        }

        public Builder gateway(VerifiedContactOffer value) {
            gateway = value;
            return this;
        }

        public Builder bufferDir(Path value) {
            bufferDir = value;
            return this;
        }

        /**
         * Seeds as configuration text, {@code host:port} or {@code [IPv6]:port}, each read once
         * here: an IllegalArgumentException names the first one that is not.
         */
        public Builder seeds(List<String> value) {
            seeds = value == null ? null : value.stream().map(HostPort::parse).toList();
            return this;
        }

        public Builder seedAddresses(List<HostPort> value) {
            seeds = value;
            return this;
        }

        public Builder controllers(Set<PublicKey> value) {
            controllers = value;
            return this;
        }

        public Builder batch(int maxReadings, Duration maxDelay) {
            batchMaxReadings = maxReadings;
            batchMaxDelay = maxDelay;
            return this;
        }

        public Builder buffer(int capacity, BufferFullPolicy policy) {
            bufferCapacity = capacity;
            fullPolicy = policy;
            return this;
        }

        public Builder bufferFullWait(Duration value) {
            bufferFullWait = value;
            return this;
        }

        public Builder syncWrites(boolean value) {
            syncWrites = value;
            return this;
        }

        public Builder entryTtl(Duration value) {
            entryTtl = value;
            return this;
        }

        public Builder republish(Duration interval, int maxEntries) {
            republishInterval = interval;
            republishMaxEntries = maxEntries;
            return this;
        }

        public Builder commandTimeout(Duration value) {
            commandTimeout = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder tdTtl(Duration value) {
            tdTtl = value;
            return this;
        }

        public Builder dht(DhtOptions value) {
            dht = value;
            return this;
        }

        public DeviceOptions build() {
            return new DeviceOptions(
                    identity,
                    thingDescription,
                    gateway,
                    seeds,
                    controllers,
                    batchMaxReadings,
                    batchMaxDelay,
                    bufferDir,
                    bufferCapacity,
                    fullPolicy,
                    bufferFullWait,
                    syncWrites,
                    entryTtl,
                    republishInterval,
                    republishMaxEntries,
                    commandTimeout,
                    pollInterval,
                    tdTtl,
                    dht);
        }
    }
}

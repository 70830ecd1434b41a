package io.streembit.gateway.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.gateway.testing.KafkaBroker;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Members of one process pool hand devices over by shard, as the gateway's followers do: on a
 * grant a member follows the active devices of its new shards, on a revoke it stops them before
 * returning, and a periodic rescan picks up devices registered or revoked through any replica.
 * Through joins, leaves and registrations, no device is ever followed by two members, and once
 * the group settles every active device is followed by exactly one.
 */
class ClusterHandoverTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int S = 16;

    private static KafkaBroker broker;
    private static PGSimpleDataSource dataSource;
    private final String group = "streembit-handover-" + UUID.randomUUID();
    /** Who follows each device now: the one place a second follower would show. */
    private final Map<String, String> followedBy = new ConcurrentHashMap<>();

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService rescans = Executors.newScheduledThreadPool(3);

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.startNew();
        dataSource = GatewaySchema.freshDatabase();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** A member: its ownership, and the devices it follows (what Followers holds in the gateway). */
    private final class Member {
        final String name;
        final ShardEpochs epochs;
        final ShardDevices devices;
        final ShardOwnership ownership;
        final Set<String> following = ConcurrentHashMap.newKeySet();

        Member(String name) throws SQLException {
            this.name = name;
            this.epochs = ShardEpochs.open(dataSource, group, new Shards(S), name, new SimpleMeterRegistry());
            this.devices = new ShardDevices(dataSource, epochs.shards());
            var settings = new ShardOwnership.Settings(
                    broker.bootstrapServers(),
                    group,
                    "streembit.cluster." + group,
                    Duration.ofSeconds(6),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5));
            this.ownership = new ShardOwnership(
                    settings,
                    epochs,
                    new ShardOwnership.Handover() {
                        @Override
                        public void assigned(Set<Integer> shards) {
                            try {
                                devices.active(shards).forEach(Member.this::follow);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public void revoked(Set<Integer> shards) {
                            unfollow(shards);
                        }

                        @Override
                        public void lost(Set<Integer> shards) {
                            unfollow(shards);
                        }
                    },
                    Clock.systemUTC());
        }

        void start() {
            ownership.start();
            rescans.scheduleWithFixedDelay(this::rescan, 200, 200, TimeUnit.MILLISECONDS);
        }

        synchronized void follow(String device) {
            if (!ownership.owns(epochs.shards().of(device)) && !isGranting(device)) {
                return;
            }
            if (following.add(device)) {
                String other = followedBy.putIfAbsent(device, name);
                if (other != null) {
                    violations.add(device + " followed by " + other + " and " + name);
                }
            }
        }

        private boolean isGranting(String device) {
            return epochs.held().containsKey(epochs.shards().of(device));
        }

        synchronized void unfollow(Set<Integer> shards) {
            for (String device : List.copyOf(following)) {
                if (shards.contains(epochs.shards().of(device))) {
                    following.remove(device);
                    followedBy.remove(device, name);
                }
            }
        }

        /** As Followers.rescan: start the owned shards' new devices, stop the revoked ones. */
        synchronized void rescan() {
            try {
                Set<Integer> owned = ownership.owned();
                Set<String> active = devices.active(owned);
                for (String device : List.copyOf(following)) {
                    if (!active.contains(device)
                            && owned.contains(epochs.shards().of(device))) {
                        following.remove(device);
                        followedBy.remove(device, name);
                    }
                }
                active.forEach(this::follow);
            } catch (SQLException | RuntimeException e) {
                violations.add("rescan of " + name + " failed: " + e);
            }
        }

        void close() throws InterruptedException {
            ownership.close();
        }
    }

    @Test
    void noDeviceIsEverFollowedByTwoMembersAndEveryActiveOneEndsFollowedOnce() throws Exception {
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            devices.add(register());
        }
        Member a = new Member("a");
        Member b = new Member("b");
        Member c = new Member("c");
        try {
            a.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> a.ownership.owned().size() == S);
            awaitEachFollowedOnce(devices);

            b.start();
            devices.add(register()); // registered "through another replica": only the rescan sees it
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !b.ownership.owned().isEmpty()
                            && a.ownership.owned().size() + b.ownership.owned().size() == S);
            awaitEachFollowedOnce(devices);

            c.start();
            String revoked = devices.remove(0);
            revoke(revoked);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !c.ownership.owned().isEmpty()
                            && a.ownership.owned().size()
                                            + b.ownership.owned().size()
                                            + c.ownership.owned().size()
                                    == S);
            awaitEachFollowedOnce(devices);
            assertThat(followedBy).doesNotContainKey(revoked);

            a.close(); // its shards go to b and c
            devices.add(register());
            await().atMost(Duration.ofSeconds(15))
                    .until(() ->
                            b.ownership.owned().size() + c.ownership.owned().size() == S);
            awaitEachFollowedOnce(devices);
            assertThat(a.following).isEmpty();
        } finally {
            rescans.shutdownNow();
            b.close();
            c.close();
            a.close();
        }
        assertThat(violations).isEmpty();
    }

    private void awaitEachFollowedOnce(List<String> devices) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(violations).isEmpty();
            assertThat(followedBy.keySet()).isEqualTo(new HashSet<>(devices));
        });
    }

    private static String register() throws SQLException {
        Identity device = Identity.generate(RANDOM);
        GatewaySchema.register(dataSource, device, "urn:streembit:device:" + device.account());
        return device.account();
    }

    private static void revoke(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE devices SET status = 'revoked' WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }
}

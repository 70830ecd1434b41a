package io.streembit.gateway.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streembit.gateway.testing.GatewaySchema;
import io.streembit.gateway.testing.KafkaBroker;
import io.streembit.gateway.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shard ownership from Kafka's consumer group, with an in-process broker and a real PostgreSQL:
 * two members end with disjoint shards covering all S; every grant bumps the shard's epoch
 * before the shard is handed over; a member that leaves hands its shards back before the other
 * is granted them, within seconds; with Kafka unreachable a member owns nothing and says why.
 */
class ShardOwnershipTest {
    private static final int S = 8;
    private static final Set<Integer> ALL = IntStream.range(0, S).boxed().collect(Collectors.toSet());
    private static final Duration SESSION = Duration.ofSeconds(6);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private static KafkaBroker broker;
    private PGSimpleDataSource dataSource;
    private String group;
    private final AtomicLong clock = new AtomicLong();
    private final List<Event> events = new ArrayList<>();

    /** One handover callback, in the order the members made them. */
    private record Event(long at, String member, String kind, Set<Integer> shards, Map<Integer, Long> heldThen) {}

    @BeforeAll
    static void startKafka() {
        broker = KafkaBroker.startNew();
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    @BeforeEach
    void freshCluster() throws Exception {
        dataSource = GatewaySchema.freshDatabase();
        group = "streembit-test-" + UUID.randomUUID();
    }

    @Test
    void twoMembersSplitTheShardsAndTheSurvivorTakesThemAllWhenOneLeaves() throws Exception {
        ShardOwnership a = member("a", broker.bootstrapServers());
        a.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.owned().equals(ALL));
        assertThat(a.ready()).isTrue();

        ShardOwnership b = member("b", broker.bootstrapServers());
        try {
            b.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !b.owned().isEmpty() && disjointCover(a, b));
            assertThat(b.ready()).isTrue();
            assertOwnersAndEpochsMatch(Map.of("a", a, "b", b));
            assertEveryGrantBumpedOnce();
            Set<Integer> movedToB = b.owned();
            assertHandedBackBeforeGranted("a", "b", movedToB);
            // recorded once the poll that ran the callbacks returns, a moment after the shards are owned
            await().atMost(Duration.ofSeconds(10)).until(() -> b.lastRebalance().isPresent());
            assertThat(b.lastRebalance().orElseThrow().assigned()).isNotEmpty().isSubsetOf(movedToB);

            long left = System.nanoTime();
            a.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> b.owned().equals(ALL));
            assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofSeconds(15));
            assertThat(a.owned()).isEmpty();
            assertOwnersAndEpochsMatch(Map.of("b", b));
            assertEveryGrantBumpedOnce();
            Set<Integer> movedBack = new HashSet<>(ALL);
            movedBack.removeAll(movedToB);
            assertHandedBackBeforeGranted("a", "b", movedBack);
        } finally {
            b.close();
        }
    }

    @Test
    void withKafkaUnreachableAMemberOwnsNothingAndSaysWhy() throws Exception {
        String nowhere = "127.0.0.1:" + Ports.free();
        ShardOwnership lonely = member("lonely", nowhere);
        try {
            lonely.start();
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            lonely.problem() != null && lonely.problem().startsWith("Kafka unreachable at " + nowhere));
            assertThat(lonely.ready()).isFalse();
            assertThat(lonely.owned()).isEmpty();
            assertThat(lonely.problem()).contains("owns no shard");
        } finally {
            lonely.close();
        }
        assertThat(events).isEmpty();
    }

    @Test
    void aSessionTimeoutTheBrokersRefuseLeavesTheMemberOwningNothingWithBothSettingsNamed() throws Exception {
        // the brokers' group.min.session.timeout.ms is 6 s by default
        ShardOwnership hasty = member("hasty", broker.bootstrapServers(), Duration.ofSeconds(3), Duration.ofSeconds(1));
        try {
            hasty.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hasty.problem() != null && hasty.problem().contains("refuse"));
            assertThat(hasty.problem())
                    .contains("streembit.cluster.session-timeout=3000ms")
                    .contains("group.min.session.timeout.ms")
                    .contains("owns no shard");
            assertThat(hasty.ready()).isFalse();
            assertThat(hasty.owned()).isEmpty();
        } finally {
            hasty.close();
        }
        assertThat(events).isEmpty();
    }

    private ShardOwnership member(String name, String bootstrap) throws Exception {
        return member(name, bootstrap, SESSION, HEARTBEAT);
    }

    private ShardOwnership member(String name, String bootstrap, Duration session, Duration heartbeat)
            throws Exception {
        ShardEpochs epochs = ShardEpochs.open(dataSource, group, new Shards(S), name, new SimpleMeterRegistry());
        var settings = new ShardOwnership.Settings(
                bootstrap, group, "streembit.cluster." + group, session, heartbeat, Duration.ofSeconds(1));
        return new ShardOwnership(
                settings,
                epochs,
                new ShardOwnership.Handover() {
                    @Override
                    public void assigned(Set<Integer> shards) {
                        record(name, "assigned", shards, epochs.held());
                    }

                    @Override
                    public void revoked(Set<Integer> shards) {
                        record(name, "revoked", shards, epochs.held());
                    }

                    @Override
                    public void lost(Set<Integer> shards) {
                        record(name, "lost", shards, epochs.held());
                    }
                },
                Clock.systemUTC());
    }

    private synchronized void record(String member, String kind, Set<Integer> shards, Map<Integer, Long> held) {
        events.add(new Event(clock.incrementAndGet(), member, kind, Set.copyOf(shards), held));
    }

    private static boolean disjointCover(ShardOwnership a, ShardOwnership b) {
        Set<Integer> both = new HashSet<>(a.owned());
        both.retainAll(b.owned());
        Set<Integer> union = new HashSet<>(a.owned());
        union.addAll(b.owned());
        return both.isEmpty() && union.equals(ALL);
    }

    /** shard_owners names each shard's owner, at the epoch that owner holds. */
    private void assertOwnersAndEpochsMatch(Map<String, ShardOwnership> members) throws Exception {
        Map<Integer, String> owners = new HashMap<>();
        Map<Integer, Long> epochs = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT shard, owner, epoch FROM shard_owners")) {
            while (rs.next()) {
                owners.put(rs.getInt(1), rs.getString(2));
                epochs.put(rs.getInt(1), rs.getLong(3));
            }
        }
        members.forEach((name, member) -> member.owned()
                .forEach(shard -> assertThat(owners.get(shard))
                        .as("owner of shard %d", shard)
                        .isEqualTo(name)));
        synchronized (this) {
            // the latest grant of each shard is the one its owner holds
            for (int shard : ALL) {
                Event last = events.stream()
                        .filter(e -> e.kind().equals("assigned") && e.shards().contains(shard))
                        .reduce((x, y) -> y)
                        .orElseThrow();
                assertThat(last.heldThen()).containsEntry(shard, epochs.get(shard));
            }
        }
    }

    /** Each shard's epoch counts its grants: every assignment bumped it exactly once, before the handover. */
    private synchronized void assertEveryGrantBumpedOnce() throws Exception {
        Map<Integer, Long> grants = new HashMap<>();
        for (Event e : events) {
            if (e.kind().equals("assigned")) {
                e.shards().forEach(s -> grants.merge(s, 1L, Long::sum));
            }
        }
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT shard, epoch FROM shard_owners")) {
            while (rs.next()) {
                assertThat(rs.getLong(2)).as("epoch of shard %d", rs.getInt(1)).isEqualTo(grants.get(rs.getInt(1)));
            }
        }
    }

    /** For every shard in {@code shards}: {@code from} revoked it before {@code to} was assigned it. */
    private synchronized void assertHandedBackBeforeGranted(String from, String to, Set<Integer> shards) {
        for (int shard : shards) {
            long granted = events.stream()
                    .filter(e -> e.member().equals(to)
                            && e.kind().equals("assigned")
                            && e.shards().contains(shard))
                    .mapToLong(Event::at)
                    .max()
                    .orElseThrow();
            long handedBack = events.stream()
                    .filter(e -> e.member().equals(from)
                            && !e.kind().equals("assigned")
                            && e.shards().contains(shard))
                    .mapToLong(Event::at)
                    .max()
                    .orElseThrow();
            assertThat(handedBack)
                    .as("shard %d handed back before it was granted again", shard)
                    .isLessThan(granted);
        }
    }
}

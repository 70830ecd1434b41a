package io.streembit.gateway.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Which shards this replica owns, from Kafka's consumer-group protocol: the replicas of one
 * gateway cluster join one group on an internal topic with S partitions that carries no data, and
 * the partitions assigned to a replica are its shards. Kafka does the membership, the failure
 * detection and the incremental rebalancing; this class only turns its callbacks into grants.
 *
 * <p>The classic group protocol with the {@link CooperativeStickyAssignor}: a rebalance moves only
 * the shards that must move, and the session timeout is the client's to set (6 s by default, the
 * broker's default minimum), where the KIP-848 consumer protocol takes it from the broker, 45 s at
 * least by default (docs/decisions.md).
 *
 * <p>The listener, on the consumer's own poll thread: <b>assigned</b>: grant each shard (bump its
 * epoch in PostgreSQL) and only then hand it over, so followers start from the cursor the previous
 * owner committed; <b>revoked</b>: hand the shards back (the followers stop and their in-flight
 * batches finish or fail) before returning, so the next owner's grant finds no write of ours
 * under way; <b>lost</b> (the session expired): the same without waiting, the fence refuses
 * whatever is still in flight. Kafka unreachable: this replica owns nothing, and says why.
 */
public final class ShardOwnership implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ShardOwnership.class);

    /** What a replica does when shards come and go; every call is on the poll thread. */
    public interface Handover {
        /** {@code shards} were granted (epochs bumped): follow their devices from PostgreSQL. */
        void assigned(Set<Integer> shards);

        /** {@code shards} are being revoked: stop their work and let in-flight writes end before returning. */
        void revoked(Set<Integer> shards);

        /** {@code shards} were lost (session expired, another replica may own them already): stop at once. */
        void lost(Set<Integer> shards);
    }

    /**
     * How a replica joins the group.
     *
     * @param topic            the internal topic with one partition per shard (created if missing)
     * @param sessionTimeout   how long the group waits for a silent member before moving its shards
     * @param heartbeatInterval how often a member tells the group it lives (a third of the session or less)
     * @param kafkaTimeout     how long one attempt to reach Kafka (create the topic) may take
     */
    public record Settings(
            String bootstrapServers,
            String groupId,
            String topic,
            Duration sessionTimeout,
            Duration heartbeatInterval,
            Duration kafkaTimeout) {
        public Settings {
            if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
                throw new IllegalArgumentException("the cluster heartbeat interval (" + heartbeatInterval
                        + ") must be shorter than its session timeout (" + sessionTimeout + ")");
            }
        }
    }

    /** The last change of this replica's shards: when it began, how long the handover took, what moved. */
    public record Rebalance(
            Instant at, Duration took, Set<Integer> assigned, Set<Integer> revoked, Set<Integer> lost) {}

    private final Settings settings;
    private final ShardEpochs epochs;
    private final Handover handover;
    private final Clock clock;
    private final Set<Integer> owned = new ConcurrentSkipListSet<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean joined;
    private volatile String problem = "not started";
    private volatile Rebalance lastRebalance;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    // one poll's callbacks make one rebalance (poll thread only)
    private Instant rebalanceAt;
    private long rebalanceNanos;
    private final Set<Integer> assignedNow = new TreeSet<>();
    private final Set<Integer> revokedNow = new TreeSet<>();
    private final Set<Integer> lostNow = new TreeSet<>();

    public ShardOwnership(Settings settings, ShardEpochs epochs, Handover handover, Clock clock) {
        this.settings = settings;
        this.epochs = epochs;
        this.handover = handover;
        this.clock = clock;
        this.thread = new Thread(this::run, "streembit-cluster-" + epochs.memberId());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The shards this replica owns now (granted, and not revoked or lost since). */
    public Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    public boolean owns(int shard) {
        return owned.contains(shard);
    }

    /** In the group, with a first assignment handled (maybe of no shard): the replica does its share. */
    public boolean ready() {
        return joined && problem == null;
    }

    /** Why the replica is not ready (null when it is). */
    public String problem() {
        return problem;
    }

    public Optional<Rebalance> lastRebalance() {
        return Optional.ofNullable(lastRebalance);
    }

    public String memberId() {
        return epochs.memberId();
    }

    private void run() {
        while (!closed) {
            try {
                ensureTopic();
                break;
            } catch (ClusterMismatch e) {
                problem = e.getMessage();
                LOG.error(problem);
                return; // a configuration error: waiting does not mend it
            } catch (Exception e) {
                problem = "Kafka unreachable at " + settings.bootstrapServers() + " (" + e.getMessage()
                        + "): this replica owns no shard until it joins group " + settings.groupId();
                LOG.warn(problem);
                if (!pause(Duration.ofSeconds(2))) {
                    return;
                }
            }
        }
        problem = "joining group " + settings.groupId();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
            consumer = c;
            c.subscribe(List.of(settings.topic()), new Listener());
            while (!closed) {
                try {
                    c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                } catch (InvalidSessionTimeoutException e) {
                    // every poll fails the same until an operator changes one side: say so once, try now and then
                    String refused = "the Kafka brokers refuse streembit.cluster.session-timeout="
                            + settings.sessionTimeout().toMillis() + "ms (their group.min.session.timeout.ms,"
                            + " 6000 by default, and group.max.session.timeout.ms bound it): this replica owns no"
                            + " shard until one of them changes";
                    if (!refused.equals(problem)) {
                        problem = refused;
                        LOG.error(refused);
                    }
                    if (!pause(Duration.ofSeconds(5))) {
                        break;
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("cluster group %s: %s", settings.groupId(), e.getMessage());
                    if (!pause(Duration.ofSeconds(1))) { // a failing poll returns at once: no busy loop
                        break;
                    }
                } finally {
                    endRebalance();
                }
            }
            // a clean leave: revoke (handing the shards over) before the group moves them
            c.close(CloseOptions.timeout(settings.sessionTimeout()));
            endRebalance();
        } catch (WakeupException e) {
            // closed while closing
        } finally {
            consumer = null;
        }
    }

    private void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
        int timeout = (int) settings.kafkaTimeout().toMillis();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeout,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeout))) {
            int shards = epochs.shards().count();
            try {
                TopicDescription topic = admin.describeTopics(List.of(settings.topic()))
                        .allTopicNames()
                        .get(timeout, TimeUnit.MILLISECONDS)
                        .get(settings.topic());
                if (topic.partitions().size() != shards) {
                    throw new ClusterMismatch("the cluster topic " + settings.topic() + " has "
                            + topic.partitions().size()
                            + " partitions and the cluster " + shards + " shards: give the cluster its own topic"
                            + " (streembit.cluster.topic) or delete this one while no replica runs");
                }
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            try {
                admin.createTopics(List.of(new NewTopic(settings.topic(), Optional.of(shards), Optional.empty())))
                        .all()
                        .get(timeout, TimeUnit.MILLISECONDS);
                LOG.infof("created the cluster topic %s with %d partitions, one per shard", settings.topic(), shards);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another replica was first
                    throw e;
                }
            }
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streembit-cluster-" + epochs.memberId());
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                settings.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                settings.heartbeatInterval().toMillis());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<Integer> shards = shards(partitions);
            if (shards.isEmpty()) {
                return;
            }
            beginRebalance();
            owned.removeAll(shards);
            handover.revoked(shards); // returns once the shards' in-flight writes ended
            shards.forEach(epochs::release);
            revokedNow.addAll(shards);
            LOG.infof("member %s handed back shards %s", epochs.memberId(), shards);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Set<Integer> shards = shards(partitions);
            if (shards.isEmpty()) {
                return;
            }
            beginRebalance();
            owned.removeAll(shards);
            shards.forEach(epochs::release);
            handover.lost(shards);
            lostNow.addAll(shards);
            LOG.warnf(
                    "member %s lost shards %s (its group session ended): their writes are fenced",
                    epochs.memberId(), shards);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<Integer> shards = shards(partitions);
            joined = true;
            problem = null;
            if (shards.isEmpty()) {
                return;
            }
            beginRebalance();
            for (int shard : shards) {
                grant(shard);
            }
            if (closed) {
                return;
            }
            owned.addAll(shards);
            handover.assigned(shards);
            assignedNow.addAll(shards);
            LOG.infof("member %s owns shards %s", epochs.memberId(), shards);
        }
    }

    /** Bumps the shard's epoch; PostgreSQL away: tries again (the group keeps our session meanwhile). */
    private void grant(int shard) {
        while (!closed) {
            try {
                epochs.grant(shard);
                return;
            } catch (SQLException e) {
                LOG.warnf("cannot grant shard %d in PostgreSQL (%s); again in 1 s", shard, e.getMessage());
                if (!pause(Duration.ofSeconds(1))) {
                    return;
                }
            }
        }
    }

    private void beginRebalance() {
        if (rebalanceAt == null) {
            rebalanceAt = clock.instant();
            rebalanceNanos = System.nanoTime();
        }
    }

    private void endRebalance() {
        if (rebalanceAt == null) {
            return;
        }
        lastRebalance = new Rebalance(
                rebalanceAt,
                Duration.ofNanos(System.nanoTime() - rebalanceNanos),
                Set.copyOf(assignedNow),
                Set.copyOf(revokedNow),
                Set.copyOf(lostNow));
        rebalanceAt = null;
        assignedNow.clear();
        revokedNow.clear();
        lostNow.clear();
    }

    private static Set<Integer> shards(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Leaves the group: the shards are revoked (handed over) first, then the group moves them at once. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup(); // the poll loop ends and the consumer leaves the group cleanly
        } else {
            thread.interrupt(); // a pause between attempts to reach Kafka
        }
        thread.join(settings.sessionTimeout().toMillis() + 10_000);
    }
}

package io.streembit.dht.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing quality of the real routing table and lookup in a simulated 200-node network: the
 * fast sanity check of the benchmark ({@code bin/dht-sim} runs the large sizes).
 */
class SimNetworkTest {
    private static final long SEED = 20_240_601L;
    private static final int NODES = 200;

    @Test
    void lookupsFindTheTrueClosestNodeInAtMostLog2NHops() {
        SimNetwork net = new SimNetwork(SEED, LatencyModel.wideArea());
        net.grow(NODES);
        List<LookupSample> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            samples.add(net.measure(net.randomLiveNode(), net.randomId()));
        }
        LookupStats stats = LookupStats.of(samples);

        assertThat(stats.closestFound()).as("seed %d: %s", SEED, stats).isGreaterThanOrEqualTo(0.99);
        assertThat(stats.kExact()).as("seed %d: %s", SEED, stats).isGreaterThanOrEqualTo(0.95);
        assertThat(stats.meanHops()).as("seed %d: %s", SEED, stats).isLessThanOrEqualTo(LookupStats.log2(NODES));
        // every lookup asks at least the k closest, and alpha = 3 keeps it from asking everyone
        assertThat(stats.meanQueries()).as("seed %d: %s", SEED, stats).isBetween(20.0, 60.0);
    }

    @Test
    void afterThirtyPercentFailLookupsRouteAroundTheDeadAndStillFindTheClosestLiveNode() {
        SimNetwork net = new SimNetwork(SEED, LatencyModel.wideArea());
        net.grow(NODES);
        net.fail(0.3);
        List<LookupSample> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            samples.add(net.measure(net.randomLiveNode(), net.randomId()));
        }
        LookupStats stats = LookupStats.of(samples);

        assertThat(stats.closestFound()).as("seed %d: %s", SEED, stats).isGreaterThanOrEqualTo(0.95);
        // the lookups did meet dead peers (each a timeout), and went on past them
        assertThat(stats.meanFailures()).as("seed %d: %s", SEED, stats).isGreaterThan(1.0);
    }

    /**
     * Issue 16, item 5: with 30% of the nodes dead, a dead peer must not hold one of the alpha
     * slots for the whole 5 s request timeout (the lookup before pacing took p50 15 s here).
     */
    @Test
    void afterThirtyPercentFailLookupsTakeUnderOneSecondAtTheMedianAndThreeAtP99() {
        SimNetwork net = new SimNetwork(SEED, LatencyModel.wideArea());
        net.grow(NODES);
        net.fail(0.3);
        List<LookupSample> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            samples.add(net.measure(net.randomLiveNode(), net.randomId()));
        }
        LookupStats stats = LookupStats.of(samples);

        assertThat(stats.closestFound()).as("seed %d: %s", SEED, stats).isEqualTo(1.0);
        assertThat(stats.meanFailures()).as("seed %d: %s", SEED, stats).isGreaterThan(1.0);
        assertThat(stats.latencyP50()).as("seed %d: %s", SEED, stats).isLessThanOrEqualTo(1000.0);
        assertThat(stats.latencyP99()).as("seed %d: %s", SEED, stats).isLessThanOrEqualTo(3000.0);
    }

    /**
     * Issue 16, item 4: nodes that collude (answer lookups with each other only) and withhold
     * records. Over one path a third of the network makes some records unreachable; over three
     * disjoint paths (store on the union, ask along all) every record is found.
     */
    @Test
    void withThirtyPercentWithholdingAdversariesThreeDisjointPathsFindEveryRecord() {
        SimNetwork net = new SimNetwork(SEED, LatencyModel.wideArea());
        net.grow(NODES);
        net.corrupt(0.3);
        int single = 0;
        int disjoint = 0;
        for (int i = 0; i < 200; i++) {
            single += net.valueTrial(1, 5) ? 1 : 0;
        }
        for (int i = 0; i < 200; i++) {
            disjoint += net.valueTrial(3, 5) ? 1 : 0;
        }
        assertThat(single).as("found over one path, of 200").isLessThan(200);
        assertThat(disjoint).as("found over three disjoint paths, of 200").isEqualTo(200);
    }

    @Test
    void percentilesUseTheNearestRank() {
        // nearest rank over 1..100: the p-th percentile is p itself; over 1..10 p99 is the max
        assertThat(LookupStats.rank(100, 50)).isEqualTo(49);
        assertThat(LookupStats.rank(100, 99)).isEqualTo(98);
        assertThat(LookupStats.rank(10, 99)).isEqualTo(9);
        assertThat(LookupStats.rank(10, 50)).isEqualTo(4);
    }
}

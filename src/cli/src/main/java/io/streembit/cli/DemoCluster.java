package io.streembit.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes the demo's gateway replicas one cluster ({@code streembit demo --gateways N}): their
 * names, HTTP ports and {@code streembit.cluster.*} settings. Everything else they share.
 */
final class DemoCluster {
    /** Three JVMs of 512 MB each already fill a laptop; more would only show the same thing. */
    static final int MAX_GATEWAYS = 8;

    /** Few shards, so that a replica's shards fit on one line (a real cluster keeps the default 64). */
    static final int SHARDS = 12;

    /** A name and a topic of its own: with --kafka, the demo must not join a real cluster's group. */
    static final String GROUP_ID = "streembit-demo";

    static final String TOPIC = "streembit-demo.cluster";

    private DemoCluster() {}

    static void validate(int gateways, int httpPort) throws CliException {
        if (gateways < 1 || gateways > MAX_GATEWAYS) {
            throw new CliException("--gateways is 1 to " + MAX_GATEWAYS);
        }
        if (httpPort < 1 || httpPort + gateways - 1 > 65535) {
            throw new CliException("--http-port " + httpPort + ": the gateways need ports " + httpPort + " to "
                    + (httpPort + gateways - 1) + ", which must be 1 to 65535");
        }
    }

    /** gateway-1, gateway-2, ...: also its member id, so GET /api/cluster shows the same names. */
    static String name(int index) {
        return "gateway-" + (index + 1);
    }

    /** One after the other from --http-port: the first replica keeps the port a single gateway has. */
    static int httpPort(int firstPort, int index) {
        return firstPort + index;
    }

    /** The settings that make replica {@code index} a member of the demo's cluster on this Kafka. */
    static Map<String, String> properties(int index, String bootstrapServers) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("streembit.cluster.enabled", "true");
        props.put("streembit.cluster.group-id", GROUP_ID);
        props.put("streembit.cluster.topic", TOPIC);
        props.put("streembit.cluster.shards", String.valueOf(SHARDS));
        props.put("streembit.cluster.bootstrap-servers", bootstrapServers);
        props.put("streembit.cluster.member-id", name(index));
        return props;
    }
}

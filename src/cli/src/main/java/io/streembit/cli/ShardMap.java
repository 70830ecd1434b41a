package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who owns which shard, as a replica's {@code GET /api/cluster} reports it ({@code members}: the
 * owner PostgreSQL last granted each shard). A replica killed with -9 keeps its shards there until
 * the others are granted them.
 */
record ShardMap(int shards, Map<String, Set<Integer>> owners) {
    ShardMap {
        Map<String, Set<Integer>> copy = new TreeMap<>();
        owners.forEach((member, owned) -> copy.put(member, Collections.unmodifiableSet(new TreeSet<>(owned))));
        owners = Collections.unmodifiableMap(copy);
    }

    static ShardMap parse(String json) throws ProtocolException {
        JsonNode view = Json.parse(json.getBytes(StandardCharsets.UTF_8), "cluster view");
        Map<String, Set<Integer>> owners = new TreeMap<>();
        for (JsonNode member : view.path("members")) {
            Set<Integer> owned = new TreeSet<>();
            member.path("shards").forEach(shard -> owned.add(shard.asInt()));
            owners.put(member.path("member").asText(), owned);
        }
        return new ShardMap(view.path("shards").asInt(0), owners);
    }

    Set<Integer> of(String member) {
        return owners.getOrDefault(member, Set.of());
    }

    /** The owners of these shards, each with the ones it has. */
    Map<String, Set<Integer>> ownersOf(Collection<Integer> these) {
        Map<String, Set<Integer>> result = new TreeMap<>();
        owners.forEach((member, owned) -> {
            Set<Integer> common = new TreeSet<>(owned);
            common.retainAll(these);
            if (!common.isEmpty()) {
                result.put(member, common);
            }
        });
        return result;
    }

    /** Every shard has an owner among these members, and each of them owns one at least. */
    boolean spreadOver(Collection<String> members) {
        Set<Integer> covered = new TreeSet<>();
        for (String member : members) {
            if (of(member).isEmpty()) {
                return false;
            }
            covered.addAll(of(member));
        }
        return shards > 0 && covered.size() == shards;
    }

    /** "0-3,7,9-10": shards as short as they can be said. */
    static String ranges(Collection<Integer> shards) {
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(shards));
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            parts.add(i == j ? String.valueOf(sorted.get(i)) : sorted.get(i) + "-" + sorted.get(j));
            i = j + 1;
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}

package io.streembit.gateway.cluster;

import io.streembit.gateway.testing.GatewaySchema;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A device's shard: stable (fixed vectors), even over the shards, and the same in Java and in PostgreSQL. */
class ShardsTest {
    @Test
    void theMappingIsFixed() {
        // computed independently (Python hashlib: int.from_bytes(sha256(id)[:8], 'big') % S)
        Shards s64 = new Shards(64);
        assertThat(s64.of("")).isEqualTo(20);
        assertThat(s64.of("a")).isEqualTo(10);
        assertThat(s64.of("0000000000000000000000000000000000000000")).isEqualTo(54);
        assertThat(s64.of("da39a3ee5e6b4b0d3255bfef95601890afd80709")).isEqualTo(63);
        assertThat(s64.of("streembit")).isEqualTo(4);
        Shards s7 = new Shards(7);
        assertThat(s7.of("")).isEqualTo(1);
        assertThat(s7.of("a")).isEqualTo(4);
        assertThat(s7.of("streembit")).isZero();
        assertThat(new Shards(1).of("anything")).isZero();
    }

    @Test
    void aHundredThousandRandomIdsSpreadEvenlyOverSixtyFourShards() throws Exception {
        Shards shards = new Shards(64);
        int[] counts = new int[64];
        int n = 100_000;
        for (String id : randomIds(n, 42)) {
            counts[shards.of(id)]++;
        }
        double expected = n / 64.0;
        double chiSquare = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            chiSquare += (c - expected) * (c - expected) / expected;
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        // 63 degrees of freedom: 103.4 is the 0.1 % tail; a uniform hash lands near 63
        assertThat(chiSquare).isLessThan(103.4);
        assertThat((double) max / min).isLessThan(1.25);
    }

    @Test
    void postgresqlComputesTheSameShards() throws Exception {
        List<String> ids = randomIds(2_000, 7);
        ids.add("");
        ids.add("non-hex ids too: ü");
        try (Connection c = GatewaySchema.freshDatabase().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT streembit_shard(x, ?) FROM unnest(?::text[]) WITH ORDINALITY AS t(x, i) ORDER BY i")) {
            for (int count : new int[] {1, 7, 64, 1000}) {
                Shards shards = new Shards(count);
                ps.setInt(1, count);
                ps.setArray(2, c.createArrayOf("text", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    for (String id : ids) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1))
                                .as("shard of %s among %d", id, count)
                                .isEqualTo(shards.of(id));
                    }
                }
            }
        }
    }

    @Test
    void aClusterHasAtLeastOneShard() {
        assertThatThrownBy(() -> new Shards(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Device-like ids: hex SHA-1 of random bytes, from a fixed seed. */
    private static List<String> randomIds(int n, long seed) throws Exception {
        Random random = new Random(seed);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        List<String> ids = new ArrayList<>(n);
        byte[] key = new byte[33];
        for (int i = 0; i < n; i++) {
            random.nextBytes(key);
            ids.add(HexFormat.of().formatHex(sha1.digest(key)));
        }
        return ids;
    }
}

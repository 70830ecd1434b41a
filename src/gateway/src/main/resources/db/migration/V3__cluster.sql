-- Cluster mode (docs/gateway.md, "Scaling out"): several replicas share the devices by shard. The
-- tables stay empty while the gateway runs as a single replica (streembit.cluster.enabled=false).

-- The cluster this database belongs to: one row, written by the first replica that starts in
-- cluster mode. A replica of another group, or with another shard count, refuses to start.
CREATE TABLE gateway_cluster (
    id          BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id), -- at most one row
    group_id    TEXT NOT NULL,                  -- streembit.cluster.group-id (the Kafka consumer group)
    shards      INTEGER NOT NULL CHECK (shards > 0), -- S: a device's shard is streembit_shard(id, S)
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The fence: one row per shard. Every grant of a shard to a replica bumps its epoch; every write
-- that relies on single ownership locks the row (FOR SHARE) and checks the epoch it was granted.
CREATE TABLE shard_owners (
    shard       INTEGER PRIMARY KEY,
    epoch       BIGINT NOT NULL DEFAULT 0,
    owner       TEXT,                           -- the member id of the last grant (null: never granted)
    granted_at  TIMESTAMPTZ
);

-- A device's shard, exactly as cluster.Shards computes it: the first 8 bytes of SHA-256 of the
-- id's UTF-8 bytes, as an unsigned 64-bit number, modulo the shard count.
CREATE FUNCTION streembit_shard(device_id TEXT, shards INTEGER) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (mod(CASE WHEN h < 0 THEN h::numeric + 18446744073709551616 ELSE h::numeric END, shards))::integer
    FROM (SELECT ('x' || substr(encode(sha256(convert_to(device_id, 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint AS h) AS x
$$;

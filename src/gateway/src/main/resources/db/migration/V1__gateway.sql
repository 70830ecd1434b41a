-- The gateway's state in PostgreSQL (docs/gateway.md, "Tables"). Every table a user may query is
-- described by a JSON Schema in schemas/ (one row as JSON).

-- The registry: the devices this gateway serves, which is also its allow-list.
CREATE TABLE devices (
    id             TEXT PRIMARY KEY,            -- the device's account: SHA-1 of its public key, 40 hex
    public_key     TEXT NOT NULL UNIQUE,        -- 33-byte compressed secp256k1 key, 66 hex
    name           TEXT,
    labels         JSONB NOT NULL DEFAULT '{}'::jsonb,
    td             JSONB NOT NULL,              -- the Thing Description readings are validated against
    td_id          TEXT NOT NULL,
    td_source      TEXT NOT NULL,               -- offer | request | dht
    offer          TEXT NOT NULL,               -- the verified contact offer (JWS compact)
    status         TEXT NOT NULL,               -- active | revoked
    registered_at  TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ,
    -- the feed cursor: the last entry every route finished, and its token's hash (the chain link)
    cursor_seq     BIGINT NOT NULL DEFAULT 0,
    cursor_hash    TEXT,
    last_seen      TIMESTAMPTZ,                 -- when the last batch was committed
    error_count    BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    last_error_at  TIMESTAMPTZ,
    version        BIGINT NOT NULL DEFAULT 0
);

-- One row per reading of a verified batch. (device_id, seq, idx) makes a replay write nothing twice.
CREATE TABLE readings (
    device_id    TEXT NOT NULL,
    seq          BIGINT NOT NULL,               -- the feed entry (batch) number n
    idx          INTEGER NOT NULL,              -- position of the reading in the batch, from 0
    name         TEXT NOT NULL,                 -- property or event name of the TD
    ts           TIMESTAMPTZ NOT NULL,          -- the device's timestamp of the reading
    value        JSONB NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,          -- when the gateway verified the batch
    stored_at    TIMESTAMPTZ NOT NULL DEFAULT now(), -- the committing transaction's start (ingest latency)
    PRIMARY KEY (device_id, seq, idx)
);
CREATE INDEX readings_device_ts ON readings (device_id, ts);

-- Everything the ingest refused or could not place: never silently skipped.
CREATE TABLE ingest_problems (
    id           BIGSERIAL PRIMARY KEY,
    device_id    TEXT NOT NULL,
    seq          BIGINT,                        -- the feed entry concerned (null when not one entry)
    reason       TEXT NOT NULL,                 -- decrypt-failed, fork, schema-violation, gap, ...
    detail       TEXT NOT NULL,
    action       TEXT NOT NULL,                 -- quarantined (stepped over) | waiting (a gap)
    token        TEXT,                          -- the record as received (quarantined entries)
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX ingest_problems_device ON ingest_problems (device_id, id);

-- Messages a sink gave up on after its retries; re-sent by POST /api/dead-letters/{id}/redrive.
CREATE TABLE dead_letters (
    id           BIGSERIAL PRIMARY KEY,
    sink         TEXT NOT NULL,                 -- the route that gave up (e.g. portal)
    device_id    TEXT,
    seq          BIGINT,
    body         TEXT NOT NULL,
    headers      JSONB NOT NULL,
    error        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ NOT NULL,
    redriven_at  TIMESTAMPTZ                    -- set when a re-drive succeeded
);
CREATE INDEX dead_letters_open ON dead_letters (sink, id) WHERE redriven_at IS NULL;

package io.streembit.gateway.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/**
 * A registered device (table {@code devices}). The registry owns name, labels, TD and status;
 * the cursor and last-seen columns belong to {@code store.DeviceCursors} and the error columns to
 * {@code store.ProblemStore} (plain JDBC, in the ingest's own transactions), so the entity only reads them.
 */
@Entity
@Table(name = "devices")
public class Device {
    @Id
    public String id;

    @Column(name = "public_key", nullable = false, unique = true)
    public String publicKey;

    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> labels;

    /** The Thing Description as JSON text. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String td;

    @Column(name = "td_id", nullable = false)
    public String tdId;

    @Column(name = "td_source", nullable = false)
    public String tdSource;

    @Column(nullable = false)
    public String offer;

    @Column(nullable = false)
    @Convert(converter = DeviceStatus.Column.class)
    public DeviceStatus status;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "cursor_seq", insertable = false, updatable = false)
    public long cursorSeq;

    @Column(name = "cursor_hash", insertable = false, updatable = false)
    public String cursorHash;

    @Column(name = "last_seen", insertable = false, updatable = false)
    public Instant lastSeen;

    @Column(name = "error_count", insertable = false, updatable = false)
    public long errorCount;

    @Column(name = "last_error", insertable = false, updatable = false)
    public String lastError;

    @Column(name = "last_error_at", insertable = false, updatable = false)
    public Instant lastErrorAt;

    @Version
    public long version;
}

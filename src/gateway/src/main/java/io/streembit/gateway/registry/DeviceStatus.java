package io.streembit.gateway.registry;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Locale;

/** Whether the gateway serves a registered device: ACTIVE → REVOKED, and ACTIVE again on a new registration. */
public enum DeviceStatus {
    /** Its feed is followed and its commands accepted. */
    ACTIVE,
    /** Its data and commands are refused; the row stays, with its cursor, for the audit trail. */
    REVOKED;

    /** The value in {@code devices.status} (lower case, as the API shows it). */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceStatus fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Maps the enum onto the lower-case text column. */
    @Converter
    public static final class Column implements AttributeConverter<DeviceStatus, String> {
        @Override
        public String convertToDatabaseColumn(DeviceStatus status) {
            return status == null ? null : status.sql();
        }

        @Override
        public DeviceStatus convertToEntityAttribute(String value) {
            return value == null ? null : fromSql(value);
        }
    }
}

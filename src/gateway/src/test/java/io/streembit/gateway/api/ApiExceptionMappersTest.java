package io.streembit.gateway.api;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL down is 503 {@code store-unavailable} whether the endpoint reads it through JDBC or Hibernate. */
class ApiExceptionMappersTest {
    private final ApiExceptionMappers mappers = new ApiExceptionMappers();

    @Test
    void jdbcFailureIs503() {
        assertStoreUnavailable(mappers.storeUnavailable(new SQLException("Connection refused", "08001")));
    }

    /** What Hibernate throws when Agroal cannot open a connection (GET /api/devices with PostgreSQL down). */
    @Test
    void hibernateConnectionFailureIs503() {
        SQLException refused = new SQLException(
                "Connection to 127.0.0.1:5432 refused.", "08001", new ConnectException("Connection refused"));
        assertStoreUnavailable(
                mappers.persistence(new JDBCConnectionException("Unable to acquire JDBC Connection", refused)));
    }

    @Test
    void aWrappedHibernateJdbcFailureIs503() {
        PersistenceException wrapped = new PersistenceException(
                "could not execute query",
                new GenericJDBCException(
                        "could not prepare statement", new SQLException("An I/O error occurred", "08006")));
        assertStoreUnavailable(mappers.persistence(wrapped));
    }

    /** Not an outage: a fault of the gateway, which a client cannot fix by trying again. */
    @Test
    void anotherPersistenceFailureIs500() {
        Response response = mappers.persistence(new PersistenceException("query did not return a unique result"));
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(((ApiError) response.getEntity()).error()).isEqualTo("internal");
    }

    private static void assertStoreUnavailable(Response response) {
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getEntity())
                .isEqualTo(new ApiError("store-unavailable", "PostgreSQL is not available; try again"));
    }
}

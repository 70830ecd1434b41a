package io.streembit.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;

/** Failures outside the domain answer an {@link ApiError} too: a client switches on one shape. */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return error(
                400, "malformed", "the request body is not the JSON this endpoint takes: " + e.getOriginalMessage());
    }

    /** Quarkus REST's own refusals (unparseable body, unknown path...) in the same shape. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Throwable cause = e.getCause();
        String message = cause instanceof JsonProcessingException json
                ? "the request body is not the JSON this endpoint takes: " + json.getOriginalMessage()
                : e.getMessage();
        return error(status, status == 400 ? "malformed" : status == 404 ? "not-found" : "http-" + status, message);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(SQLException e) {
        LOG.warnf("API request failed on PostgreSQL: %s", e.getMessage());
        return unavailable();
    }

    /**
     * The same through Hibernate (the device registry): its JDBC errors carry the driver's
     * {@link SQLException} (a refused or broken connection is a {@code JDBCConnectionException}),
     * so PostgreSQL down is 503 on every endpoint. Any other persistence failure is not the
     * database's absence but a fault of ours: 500, logged with its stack.
     */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        SQLException cause = sqlCause(e);
        if (cause != null) {
            LOG.warnf("API request failed on PostgreSQL: %s", cause.getMessage());
            return unavailable();
        }
        LOG.error("API request failed in the persistence layer", e);
        return error(500, "internal", "the gateway failed to read or write its registry; see its log");
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static Response unavailable() {
        return error(503, "store-unavailable", "PostgreSQL is not available; try again");
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code, message))
                .build();
    }
}

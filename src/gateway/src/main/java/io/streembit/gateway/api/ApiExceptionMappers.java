package io.streembit.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
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
        return error(400, "malformed", "the request body is not the JSON this endpoint takes: "
                + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response storeUnavailable(SQLException e) {
        LOG.warnf("API request failed on PostgreSQL: %s", e.getMessage());
        return error(503, "store-unavailable", "PostgreSQL is not available; try again");
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(code, message)).build();
    }
}

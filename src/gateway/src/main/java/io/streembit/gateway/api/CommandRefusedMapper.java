package io.streembit.gateway.api;

import io.streembit.gateway.commands.CommandRefused;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused command answers its reason's status (400, 403, 404, 409, 422) and code. */
@Provider
public class CommandRefusedMapper implements ExceptionMapper<CommandRefused> {
    @Override
    public Response toResponse(CommandRefused e) {
        return Response.status(e.reason().status())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.reason().code(), e.getMessage()))
                .build();
    }
}

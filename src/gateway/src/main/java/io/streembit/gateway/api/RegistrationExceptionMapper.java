package io.streembit.gateway.api;

import io.streembit.gateway.registry.RegistrationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class RegistrationExceptionMapper implements ExceptionMapper<RegistrationException> {
    @Override
    public Response toResponse(RegistrationException e) {
        return Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(e.code(), e.getMessage()))
                .build();
    }
}

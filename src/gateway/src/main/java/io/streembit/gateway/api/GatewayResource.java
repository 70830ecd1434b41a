package io.streembit.gateway.api;

import io.streembit.gateway.node.GatewayNode;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The gateway's own identity, for provisioning devices: public, devices fetch it before they hold any credential. */
@Path("/api/gateway")
public class GatewayResource {
    private final GatewayNode node;

    GatewayResource(GatewayNode node) {
        this.node = node;
    }

    @GET
    @Path("/offer")
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(
            summary =
                    "The gateway's signed contact offer (armored): give it to devices so they encrypt to this gateway")
    public String offer() {
        return node.offer();
    }
}

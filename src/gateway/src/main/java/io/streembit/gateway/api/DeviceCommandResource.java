package io.streembit.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.streembit.gateway.camel.CommandHeaders;
import io.streembit.gateway.commands.CommandJson;
import io.streembit.gateway.commands.CommandRefused;
import io.streembit.gateway.commands.CommandStatus;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.StoredCommand;
import io.streembit.gateway.security.Caller;
import io.streembit.gateway.security.Callers;
import io.streembit.protocol.Json;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Commands of one device: {@code POST} sends one through the {@code direct:commands-rest} route
 * (camel-routes/commands.yaml) into {@code streembit:commands}; {@code GET} lists them.
 */
@Path("/api/devices/{id}/commands")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeviceCommandResource {
    static final String REST_INTAKE = "direct:commands-rest";

    private final ProducerTemplate producer;
    private final CommandStore store;
    private final SecurityIdentity identity;

    DeviceCommandResource(ProducerTemplate producer, CommandStore store, SecurityIdentity identity) {
        this.producer = producer;
        this.store = store;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.COMMAND)
    @Operation(
            summary =
                    "Send a command to the device: 202 with its id and Location (200 when the correlationId named it already)")
    public Response send(@PathParam("id") String id, byte[] body) throws Exception {
        Caller caller = Callers.of(identity);
        Exchange exchange = producer.send(REST_INTAKE, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeader(CommandHeaders.DEVICE, id);
            e.setProperty(CommandHeaders.CALLER_PROPERTY, caller);
        });
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        String commandId = exchange.getMessage().getHeader(CommandHeaders.COMMAND_ID, String.class);
        boolean created = "true".equals(exchange.getMessage().getHeader(CommandHeaders.CREATED, String.class));
        return Response.status(created ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(URI.create("/api/commands/" + commandId))
                .type(MediaType.APPLICATION_JSON)
                .entity(exchange.getMessage().getBody(String.class))
                .build();
    }

    @GET
    @RolesAllowed(Caller.READ)
    @Operation(
            summary = "The device's commands, newest first; ?status=QUEUED|PUBLISHED|SUCCEEDED|FAILED|REJECTED|EXPIRED")
    public ArrayNode list(
            @PathParam("id") String id,
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException, CommandRefused {
        CommandStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = CommandStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandRefused(
                        CommandRefused.Reason.MALFORMED,
                        "status is one of " + java.util.Arrays.toString(CommandStatus.values()));
            }
        }
        CommandStore.Target device = store.target(id)
                .orElseThrow(() ->
                        new CommandRefused(CommandRefused.Reason.UNKNOWN_DEVICE, "no device " + id + " is registered"));
        CallerChecks.requireAccess(Callers.of(identity), device);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (StoredCommand c : store.list(id, wanted, Math.max(1, Math.min(limit, 1000)))) {
            out.add(CommandJson.view(c, null));
        }
        return out;
    }
}

package io.streembit.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.streembit.gateway.commands.CommandJson;
import io.streembit.gateway.commands.CommandRefused;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.commands.StoredCommand;
import io.streembit.gateway.security.Caller;
import io.streembit.gateway.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;

/** One command with its audit trail: every state change, with its time. */
@Path("/api/commands")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class CommandResource {
    private final CommandStore store;
    private final SecurityIdentity identity;

    CommandResource(CommandStore store, SecurityIdentity identity) {
        this.store = store;
        this.identity = identity;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Caller.READ)
    @Operation(summary = "A command: status, result, and every state change")
    public ObjectNode get(@PathParam("id") String id) throws SQLException, CommandRefused {
        StoredCommand command = store.find(id).orElseThrow(() -> new NotFoundException("no command " + id));
        CommandStore.Target device = store.target(command.deviceId()).orElseThrow();
        CallerChecks.requireAccess(Callers.of(identity), device);
        return CommandJson.view(command, store.events(id));
    }
}

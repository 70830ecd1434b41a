package io.streembit.gateway.api;

import io.smallrye.common.annotation.Blocking;
import io.streembit.gateway.camel.Redrive;
import io.streembit.gateway.security.Caller;
import io.streembit.gateway.store.DeadLetterStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Messages sinks gave up on, and re-driving them once the sink is back. */
@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {
    private final DeadLetterStore store;
    private final Redrive redrive;

    DeadLetterResource(DeadLetterStore store, ProducerTemplate producer) {
        this.store = store;
        this.redrive = new Redrive(producer, store);
    }

    @GET
    @RolesAllowed(Caller.READ)
    @Operation(summary = "Dead letters, oldest first: the open ones, or all with all=true")
    public List<DeadLetterStore.DeadLetter> list(
            @QueryParam("sink") String sink,
            @QueryParam("all") @DefaultValue("false") boolean all,
            @QueryParam("limit") @DefaultValue("100") int limit)
            throws SQLException {
        return store.list(sink, all, Math.max(1, Math.min(limit, 1000)));
    }

    @POST
    @Path("/{id}/redrive")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Send one dead letter through its sink again")
    public Response redriveOne(@PathParam("id") long id) throws SQLException {
        var letter = store.get(id);
        if (letter.isEmpty()) {
            return Response.status(404)
                    .entity(new ApiError("unknown-dead-letter", "no dead letter " + id))
                    .build();
        }
        if (letter.get().redrivenAt() != null) {
            return Response.status(409)
                    .entity(new ApiError(
                            "already-redriven",
                            "dead letter " + id + " was re-driven at "
                                    + letter.get().redrivenAt()))
                    .build();
        }
        Redrive.Result result = redrive.redrive(letter.get());
        return Response.status(result.delivered() ? 200 : 502).entity(result).build();
    }

    @POST
    @Path("/redrive")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Send every open dead letter of a sink (all sinks without sink=) through again, oldest first")
    public List<Redrive.Result> redriveAll(
            @QueryParam("sink") String sink, @QueryParam("limit") @DefaultValue("1000") int limit) throws SQLException {
        List<Redrive.Result> results = new ArrayList<>();
        for (DeadLetterStore.DeadLetter letter : store.list(sink, false, Math.max(1, Math.min(limit, 10_000)))) {
            results.add(redrive.redrive(letter));
        }
        return results;
    }
}

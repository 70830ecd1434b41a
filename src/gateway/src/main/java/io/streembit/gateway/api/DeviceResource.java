package io.streembit.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.streembit.gateway.registry.Device;
import io.streembit.gateway.registry.DeviceRegistry;
import io.streembit.gateway.registry.RegistrationException;
import io.streembit.gateway.registry.RegistrationRequest;
import io.streembit.gateway.security.Caller;
import io.streembit.gateway.service.DeviceService;
import io.streembit.gateway.service.IngestRecorder;
import io.streembit.gateway.store.ProblemStore;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

/** The device registry: register by contact offer, inspect status, revoke. */
@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeviceResource {
    private final DeviceRegistry registry;
    private final DeviceService devices;
    private final IngestRecorder recorder;
    private final ProblemStore problems;

    DeviceResource(DeviceRegistry registry, DeviceService devices, IngestRecorder recorder, ProblemStore problems) {
        this.registry = registry;
        this.devices = devices;
        this.recorder = recorder;
        this.problems = problems;
    }

    @POST
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Register a device by its contact offer; its feed is followed from then on")
    public Response register(RegistrationRequest request, @Context UriInfo uri) throws RegistrationException {
        Device device = devices.register(request);
        return Response.created(uri.getAbsolutePathBuilder().path(device.id).build())
                .entity(view(device, true))
                .build();
    }

    @GET
    @RolesAllowed(Caller.READ)
    @Operation(summary = "Every registered device with its feed status")
    public List<DeviceView> list() {
        return registry.list().stream().map(d -> view(d, false)).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Caller.READ)
    @Operation(summary = "One device: status, cursor, lag, errors, and its Thing Description")
    public DeviceView get(@PathParam("id") String id) throws RegistrationException {
        return view(registry.find(id).orElseThrow(() -> unknown(id)), true);
    }

    @GET
    @Path("/{id}/problems")
    @RolesAllowed(Caller.READ)
    @Operation(summary = "What the ingest refused or is waiting for on this device's feed, newest first")
    public List<ProblemStore.Problem> problems(
            @PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit)
            throws RegistrationException, SQLException {
        if (registry.find(id).isEmpty()) {
            throw unknown(id);
        }
        return problems.list(id, Math.max(1, Math.min(limit, 1000)));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Revoke a device: its data is refused from now on")
    public Response revoke(@PathParam("id") String id) throws RegistrationException {
        devices.revoke(id);
        return Response.noContent().build();
    }

    private DeviceView view(Device device, boolean withTd) {
        JsonNode td = null;
        if (withTd) {
            try {
                td = Json.parse(device.td.getBytes(StandardCharsets.UTF_8), "stored TD");
            } catch (ProtocolException e) {
                throw new IllegalStateException("stored TD of " + device.id + " is not JSON", e);
            }
        }
        return DeviceView.of(device, recorder.runtime(device.id), td);
    }

    private static RegistrationException unknown(String id) {
        return new RegistrationException(404, "unknown-device", "no device " + id);
    }
}

package io.streembit.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.streembit.gateway.node.GatewayNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.offer.ContactOffers;
import io.streembit.protocol.offer.UserType;
import io.streembit.protocol.offer.VerifiedContactOffer;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.VerifiedRecord;
import io.streembit.protocol.td.ThingDescription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The devices this gateway serves: its allow-list. Registration verifies the device's contact
 * offer and settles its Thing Description (the request's, the offer's, or the one the device
 * published in the DHT under salt {@value #TD_SALT}, in that order).
 */
@ApplicationScoped
public class DeviceRegistry {
    static final String TD_SALT = "td";

    private final EntityManager em;
    private final GatewayNode node;
    private final Clock clock;

    DeviceRegistry(EntityManager em, GatewayNode node, Clock clock) {
        this.em = em;
        this.node = node;
        this.clock = clock;
    }

    /** A verified offer and its settled TD: what {@link #register} stores. */
    public record Checked(VerifiedContactOffer offer, ThingDescription td, String tdSource) {}

    /** Verifies the offer and settles the TD; no transaction (may wait on the DHT). */
    public Checked check(RegistrationRequest request) throws RegistrationException {
        if (request == null || request.offer() == null || request.offer().isBlank()) {
            throw new RegistrationException(422, "malformed", "the request needs 'offer': the device's contact offer");
        }
        VerifiedContactOffer offer;
        try {
            offer = ContactOffers.parse(request.offer());
        } catch (ProtocolException e) {
            throw new RegistrationException(422, e.code().code(), "contact offer: " + e.getMessage());
        }
        if (offer.userType() != UserType.DEVICE) {
            throw new RegistrationException(
                    422,
                    "not-a-device",
                    "the offer introduces a " + offer.userType().wire() + ", not a device");
        }
        if (request.td() != null && !request.td().isNull()) {
            return new Checked(offer, parseTd(request.td(), "the request's td"), "request");
        }
        if (offer.thingDescription().isPresent()) {
            return new Checked(offer, offer.thingDescription().get(), "offer");
        }
        return new Checked(offer, fetchTd(offer), "dht");
    }

    private ThingDescription fetchTd(VerifiedContactOffer offer) throws RegistrationException {
        Optional<VerifiedRecord> record;
        try {
            record = node.node()
                    .get(RecordKey.of(offer.publicKey(), TD_SALT))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationException(503, "td-unavailable", "interrupted while fetching the TD");
        } catch (Exception e) {
            throw new RegistrationException(
                    503,
                    "td-unavailable",
                    "the offer has no TD and the DHT lookup of the device's TD failed: " + e.getMessage());
        }
        if (record.isEmpty()) {
            throw new RegistrationException(
                    422,
                    "td-unavailable",
                    "the offer has no TD, the request none, and the device has not published one in the DHT");
        }
        return parseTd(record.get().payload().val(), "the TD the device published");
    }

    private static ThingDescription parseTd(JsonNode json, String what) throws RegistrationException {
        try {
            return ThingDescription.parse(json);
        } catch (ProtocolException e) {
            throw new RegistrationException(422, e.code().code(), what + ": " + e.getMessage());
        }
    }

    /**
     * Stores a checked registration. A revoked device registered again becomes active with its
     * cursor kept (its data is never read twice); an active one is a conflict.
     */
    @Transactional
    public Device register(Checked checked, String name, Map<String, String> labels) throws RegistrationException {
        String id = checked.offer().account();
        Device device = em.find(Device.class, id);
        if (device != null && device.status == DeviceStatus.ACTIVE) {
            throw new RegistrationException(409, "already-registered", "device " + id + " is already registered");
        }
        boolean fresh = device == null;
        if (fresh) {
            device = new Device();
            device.id = id;
            device.publicKey = checked.offer().publicKey().hex();
        }
        device.name = name;
        device.labels = labels == null ? Map.of() : Map.copyOf(labels);
        device.td = Json.text(checked.td().json());
        device.tdId = checked.td().id();
        device.tdSource = checked.tdSource();
        device.offer = checked.offer().token();
        device.status = DeviceStatus.ACTIVE;
        device.registeredAt = clock.instant().truncatedTo(ChronoUnit.MICROS); // as PostgreSQL keeps it
        device.revokedAt = null;
        if (fresh) {
            em.persist(device);
        }
        em.flush();
        return device;
    }

    @Transactional
    public Device revoke(String id) throws RegistrationException {
        Device device = em.find(Device.class, id);
        if (device == null) {
            throw new RegistrationException(404, "unknown-device", "no device " + id);
        }
        if (device.status != DeviceStatus.REVOKED) {
            device.status = DeviceStatus.REVOKED;
            device.revokedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        }
        return device;
    }

    /** A fresh read of one device (cursor and error columns as the ingest last committed them). */
    @Transactional
    public Optional<Device> find(String id) {
        Device device = em.find(Device.class, id);
        if (device != null) {
            em.refresh(device);
        }
        return Optional.ofNullable(device);
    }

    @Transactional
    public List<Device> list() {
        return em.createQuery("from Device order by registeredAt", Device.class).getResultList();
    }

    @Transactional
    public List<String> revokedIds() {
        return em.createQuery("select d.id from Device d where d.status = :s", String.class)
                .setParameter("s", DeviceStatus.REVOKED)
                .getResultList();
    }

    /** The active devices among {@code ids}. */
    @Transactional
    public List<Device> active(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.createQuery("from Device where status = :s and id in :ids", Device.class)
                .setParameter("s", DeviceStatus.ACTIVE)
                .setParameter("ids", ids)
                .getResultList();
    }

    @Transactional
    public List<Device> active() {
        return em.createQuery("from Device where status = :s", Device.class)
                .setParameter("s", DeviceStatus.ACTIVE)
                .getResultList();
    }
}

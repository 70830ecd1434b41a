package io.streembit.dht.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.CountingDhtMetrics;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.FrameDecoder;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Two real transports on 127.0.0.1: handshake, requests both ways, and hostile peers. */
class TransportTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private Vertx vertx;

    /** A transport plus what it saw. */
    record Node(
            Transport transport,
            Context context,
            Identity identity,
            CountingDhtMetrics metrics,
            List<Contact> seen,
            int port) {
        Contact contact() {
            return Contact.of(identity.publicKey(), "127.0.0.1", port);
        }

        <T> T call(Supplier<Future<T>> action) throws Exception {
            java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
            context.runOnContext(v -> action.get().onComplete(ar -> {
                if (ar.succeeded()) {
                    result.complete(ar.result());
                } else {
                    result.completeExceptionally(ar.cause());
                }
            }));
            try {
                return result.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Node node(DhtOptions options, Clock clock) throws Exception {
        Identity identity = Identity.generate(RANDOM);
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        Context context = vertx.getOrCreateContext();
        List<Contact> seen = new CopyOnWriteArrayList<>();
        Transport.Handler handler = new Transport.Handler() {
            @Override
            public Future<ObjectNode> handle(Contact from, Envelope.Request request) {
                ObjectNode body = Json.object();
                body.put("op", request.op().name());
                body.put("from", from.id().hex());
                return Future.succeededFuture(body);
            }

            @Override
            public void peerSeen(Contact peer) {
                seen.add(peer);
            }
        };
        java.util.concurrent.CompletableFuture<Transport> created = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(
                v -> created.complete(new Transport(vertx, context, identity, options, clock, metrics, handler)));
        Transport transport = created.get(5, TimeUnit.SECONDS);
        Node partial = new Node(transport, context, identity, metrics, seen, 0);
        int port = partial.call(transport::listen);
        return new Node(transport, context, identity, metrics, seen, port);
    }

    private Node node() throws Exception {
        return node(DhtOptions.defaults(), Clock.systemUTC());
    }

    @Test
    void requestsFlowBothWaysOverOneAuthenticatedConnection() throws Exception {
        Node a = node();
        Node b = node();
        ObjectNode answer = a.call(() -> a.transport().request(b.contact(), Op.PING, Json.object()));
        assertThat(answer.get("from").asText()).isEqualTo(a.identity().account());
        // b answers on the connection a opened: b now knows a, with a's listening port.
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.seen().isEmpty());
        assertThat(b.seen().get(0).id()).isEqualTo(a.identity().nodeId());
        assertThat(b.seen().get(0).port()).isEqualTo(a.port());
        ObjectNode back = b.call(() -> b.transport().request(a.contact(), Op.FIND_NODE, Json.object()));
        assertThat(back.get("op").asText()).isEqualTo("FIND_NODE");
        assertThat(a.call(() -> Future.succeededFuture(a.transport().openConnections())))
                .isEqualTo(1);
    }

    @Test
    void dialingAnAddressThatAnswersWithAnotherKeyFails() throws Exception {
        Node a = node();
        Node b = node();
        Contact impostor = Contact.of(Identity.generate(RANDOM).publicKey(), "127.0.0.1", b.port());
        assertThatThrownBy(() -> a.call(() -> a.transport().request(impostor, Op.PING, Json.object())))
                .isInstanceOf(RpcException.class);
        assertThat(a.metrics().rejections("handshake-bad-key")).isEqualTo(1);
    }

    @Test
    void peersOfAnotherNetworkAreRefused() throws Exception {
        Node a = node(DhtOptions.defaults().withNetworkId("alpha"), Clock.systemUTC());
        Node b = node(DhtOptions.defaults().withNetworkId("beta"), Clock.systemUTC());
        assertThatThrownBy(() -> a.call(() -> a.transport().request(b.contact(), Op.PING, Json.object())))
                .isInstanceOf(RpcException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.metrics().rejections("handshake-not-allowed") == 1);
    }

    @Test
    void aPrivateNetworkAdmitsOnlyItsAllowList() throws Exception {
        Identity outsider = Identity.generate(RANDOM);
        Node member = node();
        Node gate = node(
                DhtOptions.defaults().withAllowList(Set.of(member.identity().publicKey())), Clock.systemUTC());
        assertThat(member.call(() -> member.transport().request(gate.contact(), Op.PING, Json.object())))
                .isNotNull();
        Node stranger = node();
        assertThatThrownBy(
                        () -> stranger.call(() -> stranger.transport().request(gate.contact(), Op.PING, Json.object())))
                .isInstanceOf(RpcException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.metrics().rejections("handshake-not-allowed") == 1);
        assertThat(outsider).isNotNull();
    }

    @Test
    void aHelloOutsideTheClockWindowIsRefused() throws Exception {
        Node a = node(DhtOptions.defaults(), Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC));
        Node b = node();
        assertThatThrownBy(() -> a.call(() -> a.transport().request(b.contact(), Op.PING, Json.object())))
                .isInstanceOf(RpcException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.metrics().rejections("handshake-expired") == 1);
    }

    @Test
    void anOversizedLengthClosesTheConnectionBeforeReadingIt() throws Exception {
        Node b = node();
        NetSocket socket = rawSocket(b);
        List<Boolean> closed = new CopyOnWriteArrayList<>();
        socket.closeHandler(v -> closed.add(true));
        socket.write(Buffer.buffer().appendInt(64 * 1024 * 1024));
        await().atMost(Duration.ofSeconds(5)).until(() -> !closed.isEmpty());
        assertThat(b.metrics().rejections("oversized-frame")).isEqualTo(1);
        // still serves honest peers
        Node a = node();
        assertThat(a.call(() -> a.transport().request(b.contact(), Op.PING, Json.object())))
                .isNotNull();
    }

    @Test
    void garbageInsteadOfAHelloIsRefused() throws Exception {
        Node b = node();
        NetSocket socket = rawSocket(b);
        byte[] junk = new byte[300];
        RANDOM.nextBytes(junk);
        socket.write(FrameDecoder.encode(junk));
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        b.metrics().snapshot().keySet().stream().anyMatch(k -> k.startsWith("rejected.handshake-")));
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
        Node b = node(DhtOptions.defaults().withHandshakeTimeout(Duration.ofMillis(300)), Clock.systemUTC());
        NetSocket socket = rawSocket(b);
        List<Boolean> closed = new CopyOnWriteArrayList<>();
        socket.closeHandler(v -> closed.add(true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !closed.isEmpty());
        assertThat(b.metrics().rejections("handshake-timeout")).isEqualTo(1);
    }

    @Test
    void aFloodingPeerIsDisconnectedAndBannedWhileOthersAreServed() throws Exception {
        DhtOptions strict = DhtOptions.defaults()
                .withLimits(new DhtOptions.PeerLimits(
                        50, 20, 4, 32, 1 << 20, Duration.ofSeconds(60), 256, Duration.ofSeconds(120)));
        Node b = node(strict, Clock.systemUTC());
        Node flooder = node();
        Node honest = node();
        List<Future<ObjectNode>> flood =
                flooder.call(() -> flooder.transport().connect(b.contact()).map(c -> {
                    List<Future<ObjectNode>> sent = new java.util.ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        sent.add(c.request(Op.STORE, Json.object()));
                    }
                    return sent;
                }));
        await().atMost(Duration.ofSeconds(10)).until(() -> flood.stream().allMatch(Future::isComplete));
        assertThat(flood.stream().filter(Future::failed).count()).isGreaterThan(100);
        assertThat(b.metrics().rejections("rate-limited")).isEqualTo(1);
        assertThatThrownBy(() -> flooder.call(() -> flooder.transport().request(b.contact(), Op.PING, Json.object())))
                .isInstanceOf(RpcException.class);
        assertThat(honest.call(() -> honest.transport().request(b.contact(), Op.PING, Json.object())))
                .isNotNull();
    }

    private NetSocket rawSocket(Node target) throws Exception {
        return vertx.createNetClient()
                .connect(target.port(), "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}

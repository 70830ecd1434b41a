package io.streembit.dht.transport;

import io.streembit.dht.CountingDhtMetrics;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.FrameDecoder;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.jose.Jws;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hand-rolled client completes a genuine handshake, then replays an authenticated frame:
 * the node must close the session (the frame counter is the nonce, so a replay cannot verify).
 */
class ReplayTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReplayedFrameClosesTheSession() throws Exception {
        Identity serverId = Identity.generate(RANDOM);
        CountingDhtMetrics metrics = new CountingDhtMetrics();
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        context.runOnContext(v -> new Transport(
                        vertx,
                        context,
                        serverId,
                        DhtOptions.defaults(),
                        Clock.systemUTC(),
                        metrics,
                        new Transport.Handler() {
                            @Override
                            public Future<com.fasterxml.jackson.databind.node.ObjectNode> handle(
                                    io.streembit.dht.wire.Contact from, Envelope.Request request) {
                                return Future.succeededFuture(Json.object());
                            }

                            @Override
                            public void peerSeen(io.streembit.dht.wire.Contact peer) {}
                        })
                .listen()
                .onSuccess(port::complete));

        NetSocket socket = vertx.createNetClient()
                .connect(port.get(5, TimeUnit.SECONDS), "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        List<Buffer> frames = new CopyOnWriteArrayList<>();
        List<Boolean> closed = new CopyOnWriteArrayList<>();
        FrameDecoder decoder = new FrameDecoder(65536, frames::add, len -> {});
        socket.handler(decoder::feed);
        socket.closeHandler(v -> closed.add(true));

        Identity client = Identity.generate(RANDOM);
        PrivateKey ephemeral = PrivateKey.generate(RANDOM);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        Hello hello = new Hello(
                1,
                "streembit",
                client.publicKey(),
                Identity.of(ephemeral).publicKey(),
                nonce,
                System.currentTimeMillis() / 1000,
                0,
                null);
        socket.write(FrameDecoder.encode(hello.sign(client, Jws.standard()).getBytes(StandardCharsets.US_ASCII)));
        await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == 1);
        Hello reply = Hello.verify(frames.get(0).toString(StandardCharsets.US_ASCII), Jws.standard());
        assertThat(reply.staticKey()).isEqualTo(serverId.publicKey());
        SecureChannel channel = SessionKeys.derive(ephemeral, hello, reply, true);

        Buffer ping =
                FrameDecoder.encode(channel.seal(Envelope.encode(new Envelope.Request(1, Op.PING, Json.object()))));
        socket.write(ping);
        await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == 2);
        Envelope answer = Envelope.decode(channel.open(frames.get(1).getBytes()));
        assertThat(answer).isInstanceOf(Envelope.Response.class);
        assertThat(((Envelope.Response) answer).ok()).isTrue();

        socket.write(ping);
        await().atMost(Duration.ofSeconds(5)).until(() -> !closed.isEmpty());
        assertThat(metrics.rejections("bad-frame")).isEqualTo(1);
        assertThat(frames).hasSize(2);
    }
}

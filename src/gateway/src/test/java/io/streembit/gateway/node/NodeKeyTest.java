package io.streembit.gateway.node;

import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeKeyTest {
    private static final String PASSCODE = "node-key-Passcode-7";
    private final Identity gateway = Identity.generate(new SecureRandom());

    @Test
    void aSingleReplicaKeepsTheGatewayKeyAsItsNodeKeySoItsNodeIdNeverChanges() {
        NodeKey key = GatewayKey.nodeKey(Optional.empty(), Optional.empty(), false, PASSCODE, gateway);

        assertThat(key.identity().nodeId()).isEqualTo(gateway.nodeId());
    }

    @Test
    void aClusterMemberMakesItsOwnNodeKeyInItsDataDirAndKeepsItAcrossRestarts(@TempDir Path dataDir) {
        NodeKey first = GatewayKey.nodeKey(Optional.empty(), Optional.of(dataDir), true, PASSCODE, gateway);
        NodeKey again = GatewayKey.nodeKey(Optional.empty(), Optional.of(dataDir), true, PASSCODE, gateway);

        assertThat(first.identity().nodeId()).isNotEqualTo(gateway.nodeId());
        assertThat(dataDir.resolve(GatewayKey.NODE_KEY_FILE)).exists();
        assertThat(again.identity().nodeId()).isEqualTo(first.identity().nodeId());
    }

    @Test
    void twoClusterMembersWithoutDataDirsNeverShareANodeId() {
        NodeKey a = GatewayKey.nodeKey(Optional.empty(), Optional.empty(), true, PASSCODE, gateway);
        NodeKey b = GatewayKey.nodeKey(Optional.empty(), Optional.empty(), true, PASSCODE, gateway);

        assertThat(a.identity().nodeId()).isNotEqualTo(b.identity().nodeId()).isNotEqualTo(gateway.nodeId());
    }

    @Test
    void aConfiguredNodeKeyFileIsCreatedOnceAndThenUsed(@TempDir Path dir) {
        Path file = dir.resolve("pod-0/node.key");

        NodeKey created = GatewayKey.nodeKey(Optional.of(file), Optional.empty(), false, PASSCODE, gateway);
        NodeKey read = GatewayKey.nodeKey(Optional.of(file), Optional.empty(), false, PASSCODE, gateway);

        assertThat(Files.exists(file)).isTrue();
        assertThat(read.identity().nodeId()).isEqualTo(created.identity().nodeId());
    }

    @Test
    void aClusterMemberGivenTheSharedGatewayKeyAsItsNodeKeyIsRefused(@TempDir Path dir) throws Exception {
        Path gatewayKeyFile = dir.resolve("gateway.key");
        NodeKey asFile = GatewayKey.nodeKey(Optional.of(gatewayKeyFile), Optional.empty(), false, PASSCODE, gateway);
        Identity shared = asFile.identity();

        assertThatThrownBy(
                        () -> GatewayKey.nodeKey(Optional.of(gatewayKeyFile), Optional.empty(), true, PASSCODE, shared))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streembit.dht.node-key-file")
                .hasMessageContaining("node key of its own");
    }

    @Test
    void aNodeKeyFileSealedWithAnotherPasscodeStopsTheStartNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("node.key");
        GatewayKey.nodeKey(Optional.of(file), Optional.empty(), true, PASSCODE, gateway);

        assertThatThrownBy(() ->
                        GatewayKey.nodeKey(Optional.of(file), Optional.empty(), true, "wrong-Passcode-99", gateway))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node key file " + file);
    }
}

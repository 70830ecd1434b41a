package io.streembit.cli;

import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.DecryptedJwe;
import io.streembit.protocol.jose.Jwe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code streembit jwe ...}: ECDH-ES + A256GCM compact encryption on secp256k1. */
@Command(name = "jwe", description = "Encrypt to and decrypt with secp256k1 keys (JWE compact, ECDH-ES + A256GCM).")
public final class JweCommands {
    private final Terminal terminal;
    private final KeyFiles keyFiles;

    public JweCommands(Terminal terminal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
    }

    @Command(
            name = "encrypt",
            description = {
                "Encrypt standard input (any bytes) to the public key HEX and print the JWE.",
                "--key FILE puts FILE's account into the protected header as iss (no passcode needed). iss is only a",
                "claim until the JWE is wrapped in a JWS signed by the same key (encrypt-then-sign), which is what",
                "records do; a recipient then checks that the signer is the iss."
            })
    int encrypt(
            @Option(
                            names = "--to",
                            required = true,
                            paramLabel = "HEX",
                            description = "recipient public key (compressed hex)")
                    String to,
            @Option(names = "--key", paramLabel = "FILE", description = "author's key file, for iss") Path key)
            throws Exception {
        PublicKey recipient = PublicKey.fromHex(to);
        String iss = key == null ? null : keyFiles.read(key).account();
        byte[] plaintext = Stdin.readAll(terminal, "plaintext");
        terminal.out().println(Jwe.standard().encrypt(recipient, plaintext, iss));
        return 0;
    }

    @Command(
            name = "decrypt",
            description = {
                "Decrypt the JWE on standard input with the key in FILE and print the plaintext bytes exactly.",
                "Passcode: STREEMBIT_PASSCODE or the terminal prompt (stdin holds the token)."
            })
    int decrypt(
            @Option(names = "--key", required = true, paramLabel = "FILE", description = "recipient's key file")
                    Path key)
            throws Exception {
        String token = Stdin.readToken(terminal, "JWE");
        Identity recipient = keyFiles.open(key, true);
        try {
            DecryptedJwe decrypted = Jwe.standard().decrypt(token, recipient);
            terminal.out().writeBytes(decrypted.plaintext());
            terminal.out().flush();
            return 0;
        } finally {
            recipient.privateKey().destroy();
        }
    }
}

package io.streembit.cli;

import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.jose.VerifiedJws;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code streembit jws ...}: ES256K compact signatures. */
@Command(name = "jws", description = "Sign and verify JWS compact tokens (ES256K).")
public final class JwsCommands {
    static final String DEFAULT_TYP = "JWT";

    private final Terminal terminal;
    private final KeyFiles keyFiles;

    public JwsCommands(Terminal terminal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
    }

    @Command(
            name = "sign",
            description = {
                "Sign the JSON on standard input and print the token.",
                "The payload must be one JSON value (duplicate members refused); its bytes are signed as given, less",
                "surrounding whitespace. Passcode: STREEMBIT_PASSCODE or the terminal prompt (stdin holds the payload)."
            })
    int sign(
            @Option(names = "--key", required = true, paramLabel = "FILE", description = "signer's key file") Path key,
            @Option(
                            names = "--typ",
                            defaultValue = DEFAULT_TYP,
                            paramLabel = "T",
                            description = "header typ (default: ${DEFAULT-VALUE})")
                    String typ)
            throws Exception {
        if (typ.isEmpty()) {
            throw new CliException("--typ must not be empty");
        }
        byte[] payload = Stdin.readJson(terminal, "payload");
        Identity signer = keyFiles.open(key, true);
        try {
            terminal.out().println(Jws.standard().sign(signer, typ, payload));
            return 0;
        } finally {
            signer.privateKey().destroy();
        }
    }

    @Command(
            name = "verify",
            description = {
                "Verify the token on standard input and print its payload; fail with the reason otherwise.",
                "Without --pub the token is checked against the key its own kid names, and the signer is reported on stderr."
            })
    int verify(
            @Option(names = "--pub", paramLabel = "HEX", description = "required signer public key (compressed hex)")
                    String pub,
            @Option(names = "--typ", paramLabel = "T", description = "required header typ") String typ)
            throws Exception {
        String token = Stdin.readToken(terminal, "token");
        VerifiedJws verified;
        if (pub != null) {
            verified = Jws.standard().verify(token, PublicKey.fromHex(pub), typ);
        } else {
            verified = Jws.standard().verifySelfSigned(token, typ);
            terminal.err()
                    .println("streembit: note: signed by account "
                            + verified.signer().nodeId() + " (key "
                            + verified.signer().hex() + "); pass --pub to require a signer");
        }
        terminal.out().writeBytes(verified.payload());
        terminal.out().println();
        return 0;
    }
}

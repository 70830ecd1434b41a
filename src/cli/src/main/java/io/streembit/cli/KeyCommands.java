package io.streembit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.keyfile.KeyFile;
import io.streembit.protocol.keyfile.PemKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code streembit key ...}: create, inspect and re-protect encrypted key files. */
@Command(name = "key", description = "Create, inspect and manage encrypted key files.")
public final class KeyCommands {
    /** A PEM larger than this is not a single EC key. */
    private static final long MAX_PEM_BYTES = 64 * 1024;

    private final Terminal terminal;
    private final KeyFiles keyFiles;

    public KeyCommands(Terminal terminal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
    }

    @Command(
            name = "new",
            description = {
                "Generate a key, write it encrypted to a new key file and print its account and public key.",
                "The file is created with mode 600; the output is {\"account\",\"public_key\"}.",
                "Passcode: STREEMBIT_PASSCODE, else prompted twice, else one line of standard input."
            })
    int newKey(
            @Option(
                            names = "--out",
                            required = true,
                            paramLabel = "FILE",
                            description = "key file to create (must not exist)")
                    Path out)
            throws Exception {
        KeyFiles.refuseExisting(out);
        Identity identity = Identity.generate(terminal.random());
        try {
            return seal(identity, out);
        } finally {
            identity.privateKey().destroy();
        }
    }

    @Command(
            name = "show",
            description = "Print a key file's account, public key and KDF parameters (no passcode needed).")
    int show(@Parameters(paramLabel = "FILE", description = "key file") Path file) throws Exception {
        KeyFile keyFile = keyFiles.read(file);
        ObjectNode node = Json.object();
        node.put("account", keyFile.account());
        node.put("public_key", keyFile.publicKey().hex());
        ObjectNode kdf = node.putObject("kdf");
        kdf.put("alg", KeyFile.KDF_ALG);
        kdf.put("m", keyFile.kdf().memoryKib());
        kdf.put("t", keyFile.kdf().iterations());
        kdf.put("p", keyFile.kdf().parallelism());
        node.put("cipher", KeyFile.CIPHER_ALG);
        terminal.out().println(Json.text(node));
        return 0;
    }

    @Command(
            name = "passcode",
            description = {
                "Change a key file's passcode, in place.",
                "Fresh salt and IV, same KDF parameters; prints {\"account\",\"public_key\"}.",
                "Old passcode: STREEMBIT_PASSCODE or prompt; new: STREEMBIT_NEW_PASSCODE or prompted twice;",
                "without either and without a terminal, the old and the new passcode as two lines of standard input."
            })
    int passcode(@Parameters(paramLabel = "FILE", description = "key file to re-protect in place") Path file)
            throws Exception {
        KeyFile current = keyFiles.read(file);
        char[] oldPasscode = keyFiles.passcodes().existing(file.toString(), false);
        char[] newPasscode = null;
        try {
            // Open with the old passcode before asking for a new one: a typo is reported at once.
            // Same as KeyFile.changePasscode, without paying for Argon2id twice.
            Identity identity = current.open(oldPasscode);
            try {
                newPasscode = keyFiles.passcodes().fresh(Passcodes.NEW_PASSCODE_ENV, false);
                KeyFile changed = KeyFile.create(identity, newPasscode, current.kdf(), terminal.random());
                changed.write(file);
                terminal.out().println(KeyFiles.summary(changed));
                return 0;
            } finally {
                identity.privateKey().destroy();
            }
        } finally {
            Arrays.fill(oldPasscode, '\0');
            if (newPasscode != null) {
                Arrays.fill(newPasscode, '\0');
            }
        }
    }

    @Command(
            name = "import",
            description = {
                "Import a secp256k1 private key from an unencrypted PEM into a new key file.",
                "PKCS#8 ('BEGIN PRIVATE KEY') or SEC1 ('BEGIN EC PRIVATE KEY'); prints {\"account\",\"public_key\"}.",
                "Delete the plain PEM afterwards. Passcode as for 'key new'."
            })
    int importPem(
            @Option(names = "--pem", required = true, paramLabel = "PEM", description = "unencrypted PEM key") Path pem,
            @Option(
                            names = "--out",
                            required = true,
                            paramLabel = "FILE",
                            description = "key file to create (must not exist)")
                    Path out)
            throws Exception {
        KeyFiles.refuseExisting(out);
        if (Files.size(pem) > MAX_PEM_BYTES) {
            throw new CliException(pem + " is too large to be a PEM key");
        }
        Identity identity = PemKeys.importPrivateKey(new String(Files.readAllBytes(pem), StandardCharsets.ISO_8859_1));
        try {
            return seal(identity, out);
        } finally {
            identity.privateKey().destroy();
        }
    }

    private int seal(Identity identity, Path out) throws Exception {
        var params = keyFiles.newFileParams();
        char[] passcode = keyFiles.passcodes().fresh(Passcodes.PASSCODE_ENV, false);
        try {
            KeyFile file = KeyFile.create(identity, passcode, params, terminal.random());
            KeyFiles.refuseExisting(out);
            file.write(out);
            terminal.out().println(KeyFiles.summary(file));
            return 0;
        } finally {
            Arrays.fill(passcode, '\0');
        }
    }
}

package io.streembit.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the gateway's and PostgreSQL's pids to the file named by {@code -Dbench.pidfile}, so
 * bin/bench-gateway can stop exactly those two if this JVM is killed without running its shutdown
 * hooks (SIGKILL), and remove PostgreSQL's temporary directory. Cleared on a normal exit.
 */
final class Pids {
    private Pids() {}

    static void write(long gateway, long postgres, Path postgresDir) throws IOException {
        Path file = file();
        if (file != null) {
            Files.writeString(file, "gateway " + gateway + "\npostgres " + postgres + "\npgdir " + postgresDir + "\n");
        }
    }

    static void clear() {
        Path file = file();
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the script removes it too
            }
        }
    }

    private static Path file() {
        String name = System.getProperty("bench.pidfile");
        return name == null || name.isBlank() ? null : Path.of(name);
    }
}

package io.streembit.cli;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Prompts on the controlling terminal, {@code /dev/tty}, with echo turned off, as ssh and gpg
 * do. The JDK's {@link System#console()} is null as soon as stdin or stdout is redirected,
 * which is exactly the case of {@code echo '{}' | streembit jws sign --key k > token}: the
 * person is still at a terminal and should be asked there.
 */
final class TtyPrompt implements Terminal.SecretPrompt {
    private static final File TTY = new File("/dev/tty");

    private TtyPrompt() {}

    /** A prompt on the controlling terminal, or null when the process has none (CI, services). */
    static TtyPrompt openOrNull() {
        if (!TTY.exists()) {
            return null;
        }
        try (FileInputStream probe = new FileInputStream(TTY)) {
            return new TtyPrompt();
        } catch (IOException | SecurityException e) {
            return null; // ENXIO: no controlling terminal
        }
    }

    @Override
    public char[] readSecret(String prompt) throws IOException {
        try (FileInputStream in = new FileInputStream(TTY);
                FileOutputStream out = new FileOutputStream(TTY)) {
            out.write(prompt.getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Never read a secret with echo on: if echo cannot be turned off, refuse.
            stty("-echo");
            Thread restore = new Thread(TtyPrompt::restoreEcho);
            Runtime.getRuntime().addShutdownHook(restore); // Ctrl-C at the prompt
            try {
                return SecretLine.read(in);
            } finally {
                restoreEcho();
                Runtime.getRuntime().removeShutdownHook(restore);
                out.write('\n');
                out.flush();
            }
        }
    }

    private static void restoreEcho() {
        try {
            stty("echo");
        } catch (IOException e) {
            // Best effort; the person can type `stty echo`.
        }
    }

    private static void stty(String setting) throws IOException {
        Process process = new ProcessBuilder("stty", setting)
                .redirectInput(TTY)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("cannot turn terminal echo " + ("echo".equals(setting) ? "back on" : "off"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting up the terminal");
        }
    }
}

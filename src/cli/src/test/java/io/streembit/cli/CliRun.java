package io.streembit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Runs the real `streembit` commands in-process with a scripted terminal. */
final class CliRun {
    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];
    private Deque<String> consoleAnswers;
    final List<String> prompts = new ArrayList<>();

    static CliRun cli() {
        // Cheap Argon2id for tests only: see KeyFiles.KDF_ENV.
        return new CliRun().env(KeyFiles.KDF_ENV, KeyFiles.INSECURE_TEST_KDF);
    }

    CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRun passcode(String value) {
        return env(Passcodes.PASSCODE_ENV, value);
    }

    CliRun stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    CliRun stdin(byte[] bytes) {
        this.stdin = bytes.clone();
        return this;
    }

    /** A terminal whose person types these answers, in order, at the prompts. */
    CliRun console(String... answers) {
        this.consoleAnswers = new ArrayDeque<>(List.of(answers));
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StreembitCli.run(terminal(out, err), args);
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Starts a long-running command (a node) on its own thread with these command groups; its
     * output can be read while it runs.
     */
    Running start(List<Function<Terminal, Object>> groups, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = terminal(out, err);
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> StreembitCli.run(terminal, groups, args), runnable -> {
                    Thread thread = new Thread(runnable, "cli-" + args[0]);
                    thread.setDaemon(true);
                    thread.start();
                });
        return new Running(exit, out, err);
    }

    private Terminal terminal(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        Terminal.SecretPrompt console = consoleAnswers == null
                ? null
                : prompt -> {
                    prompts.add(prompt);
                    String answer = consoleAnswers.poll();
                    return answer == null ? null : answer.toCharArray();
                };
        return new Terminal(
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.copyOf(env),
                console,
                new SecureRandom());
    }

    /** A command still running; ByteArrayOutputStream is synchronized, so reading while it writes is safe. */
    record Running(CompletableFuture<Integer> exit, ByteArrayOutputStream outBuffer, ByteArrayOutputStream errBuffer) {
        String out() {
            return outBuffer.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBuffer.toString(StandardCharsets.UTF_8);
        }

        /** The first line of stdout, waiting up to {@code timeout} for it. */
        String firstLine(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String text = out();
                int newline = text.indexOf('\n');
                if (newline >= 0) {
                    return text.substring(0, newline);
                }
                if (exit.isDone()) {
                    throw new AssertionError(
                            "the command ended (" + exit.join() + ") without a line; stderr: " + err());
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no line on stdout within " + timeout + "; stderr: " + err());
        }
    }

    record Result(int exit, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        /** stderr without the warning that STREEMBIT_KDF=insecure-test prints. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.contains("STREEMBIT_KDF=")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out() + "\nstderr: " + err;
        }
    }
}

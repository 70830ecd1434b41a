package io.streembit.gateway.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Dockerfile read the way the builder reads it, for the instructions the deployment tests look
 * at: comments and blank lines dropped, lines ending in {@code \} joined, keywords upper-cased;
 * exec forms ({@code ["a", "b"]}) as JSON arrays, {@code ENV} as name-value pairs with quotes
 * removed. No Docker needed, and no variable substitution (the images here use none).
 */
final class Dockerfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Instruction(String keyword, String arguments, int line) {}

    /** {@code COPY [--flag=value...] SOURCE... DESTINATION}. */
    record Copy(Map<String, String> flags, List<String> sources, String destination) {}

    /** {@code HEALTHCHECK [--option=value...] CMD ...}, or {@code NONE} (then {@code command} is empty). */
    record Healthcheck(Map<String, String> options, List<String> command) {
        boolean none() {
            return command.isEmpty();
        }
    }

    private final Path file;
    private final List<Instruction> instructions;

    private Dockerfile(Path file, List<Instruction> instructions) {
        this.file = file;
        this.instructions = instructions;
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("#") || (line.isEmpty() && pending == null)) {
                continue; // a comment, also inside a continued instruction, is not part of it
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            boolean continued = line.endsWith("\\");
            pending.append(continued ? line.substring(0, line.length() - 1) : line)
                    .append(' ');
            if (!continued) {
                String text = pending.toString().strip();
                int space = text.indexOf(' ');
                String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
                instructions.add(new Instruction(
                        keyword, space < 0 ? "" : text.substring(space + 1).strip(), start));
                pending = null;
            }
        }
        if (pending != null) {
            throw new IllegalStateException(file + ": the last instruction ends in a line continuation");
        }
        return new Dockerfile(file, List.copyOf(instructions));
    }

    Path file() {
        return file;
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The one instruction of this kind; fails when there is none or more than one. */
    Instruction only(String keyword) {
        List<Instruction> found = all(keyword);
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected one " + keyword + ", found " + found.size());
        }
        return found.get(0);
    }

    String from() {
        return only("FROM").arguments().split("\\s+")[0];
    }

    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            Map<String, String> flags = new LinkedHashMap<>();
            List<String> paths = new ArrayList<>();
            List<String> words = copy.arguments().startsWith("[") ? execForm(copy) : words(copy.arguments());
            for (String word : words) {
                if (paths.isEmpty() && word.startsWith("--")) {
                    int eq = word.indexOf('=');
                    flags.put(eq < 0 ? word.substring(2) : word.substring(2, eq), eq < 0 ? "" : word.substring(eq + 1));
                } else {
                    paths.add(word);
                }
            }
            if (paths.size() < 2) {
                throw new AssertionError(file + " line " + copy.line() + ": COPY needs a source and a destination");
            }
            copies.add(new Copy(flags, List.copyOf(paths.subList(0, paths.size() - 1)), paths.get(paths.size() - 1)));
        }
        return copies;
    }

    List<Integer> exposedPorts() {
        List<Integer> ports = new ArrayList<>();
        for (Instruction expose : all("EXPOSE")) {
            for (String port : words(expose.arguments())) {
                ports.add(Integer.parseInt(port.replace("/tcp", "")));
            }
        }
        return ports;
    }

    /** The user of the last {@code USER}: the one the container runs as. */
    String user() {
        List<Instruction> users = all("USER");
        if (users.isEmpty()) {
            throw new AssertionError(file + ": no USER, the container would run as root");
        }
        return users.get(users.size() - 1).arguments().split(":")[0];
    }

    /** Every {@code ENV name=value} (later ones win), quotes removed. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : all("ENV")) {
            List<String> words = words(instruction.arguments());
            if (!words.get(0).contains("=")) { // the old form: ENV NAME value with spaces
                env.put(
                        words.get(0),
                        instruction.arguments().substring(words.get(0).length()).strip());
                continue;
            }
            for (String word : words) {
                int eq = word.indexOf('=');
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return env;
    }

    List<String> entrypoint() {
        return execForm(only("ENTRYPOINT"));
    }

    Healthcheck healthcheck() {
        String text = only("HEALTHCHECK").arguments();
        if (text.equalsIgnoreCase("NONE")) {
            return new Healthcheck(Map.of(), List.of());
        }
        Map<String, String> options = new LinkedHashMap<>();
        while (text.startsWith("--")) {
            int space = text.indexOf(' ');
            String option = text.substring(2, space);
            int eq = option.indexOf('=');
            options.put(option.substring(0, eq), option.substring(eq + 1));
            text = text.substring(space + 1).strip();
        }
        if (!text.toUpperCase(Locale.ROOT).startsWith("CMD ")) {
            throw new AssertionError(file + ": HEALTHCHECK without CMD");
        }
        String command = text.substring(4).strip();
        return new Healthcheck(
                options, command.startsWith("[") ? parseJson(command) : List.of("/bin/sh", "-c", command));
    }

    private List<String> execForm(Instruction instruction) {
        if (!instruction.arguments().startsWith("[")) {
            throw new AssertionError(file + " line " + instruction.line() + ": " + instruction.keyword()
                    + " in shell form; the exec form passes signals to the process");
        }
        return parseJson(instruction.arguments());
    }

    private List<String> parseJson(String array) {
        try {
            return JSON.readValue(array, new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new AssertionError(file + ": not a JSON array of strings: " + array, e);
        }
    }

    /** Words split on blanks outside quotes; the quotes themselves removed. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}

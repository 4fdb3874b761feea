package org.mihub.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own client programs ({@code pg_dump}, {@code pg_restore}), found on this machine for
 * one server major version: the PATH first, then Debian's {@code /usr/lib/postgresql/<major>/bin}.
 * A program of the server's major version is preferred; a newer one is taken if there is no such
 * one (pg_dump reads older servers, never newer ones). Embedded PostgreSQL ships the server only.
 */
final class PostgresTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private PostgresTools() {
    }

    /** A client program and the major version it reported. */
    record Tool(Path path, int major, String version) {
    }

    /**
     * The program {@code name} for a server of {@code serverMajor}; fails naming what to install.
     *
     * @param searchPath the PATH to search (the environment's, or a test's)
     */
    static Tool find(String name, int serverMajor, String searchPath) {
        Set<Path> candidates = new LinkedHashSet<>();
        if (searchPath != null) {
            for (String folder : searchPath.split(java.io.File.pathSeparator)) {
                if (!folder.isBlank()) {
                    candidates.add(Path.of(folder, name));
                }
            }
        }
        candidates.add(Path.of("/usr/lib/postgresql", Integer.toString(serverMajor), "bin", name));
        List<Tool> found = new ArrayList<>();
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                version(candidate).ifPresent(found::add);
            }
        }
        Optional<Tool> same = found.stream().filter(tool -> tool.major() == serverMajor).findFirst();
        if (same.isPresent()) {
            return same.get();
        }
        Optional<Tool> newer = found.stream().filter(tool -> tool.major() > serverMajor).findFirst();
        if (newer.isPresent()) {
            return newer.get();
        }
        throw new IllegalStateException(name + " of PostgreSQL " + serverMajor + " (or newer) was not found on the PATH"
                + " nor in /usr/lib/postgresql/" + serverMajor + "/bin"
                + (found.isEmpty() ? "" : " (found only " + found.stream().map(tool -> tool.path() + " " + tool.major())
                        .toList() + ")")
                + ": install the PostgreSQL " + serverMajor + " client tools (Debian and Ubuntu: apt-get install"
                + " postgresql-client-" + serverMajor + ")");
    }

    /** What {@code program --version} says, when it runs and says a PostgreSQL version. */
    private static Optional<Tool> version(Path program) {
        try {
            Result result = run(List.of(program.toString(), "--version"), Map.of());
            Matcher matcher = VERSION.matcher(result.output());
            if (result.exitCode() == 0 && matcher.find()) {
                return Optional.of(new Tool(program, Integer.parseInt(matcher.group(1)), result.output().strip()));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** How a program ended: its exit code and everything it wrote (standard output and error). */
    record Result(int exitCode, String output) {
    }

    /** Runs a program to its end, with extra environment variables; its exit code and output. */
    static Result run(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            int code = process.waitFor();
            return new Result(code, output.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " interrupted", e);
        }
    }
}

package org.mihub.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the launcher (Keycloak or a service) with its log file, its readiness URL and
 * a pid file, so that {@code ./mihub down} can stop it even if the launcher itself is gone.
 */
final class ManagedProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final URI readyUrl;
    private final Path pidFile;

    private ManagedProcess(String name, Process process, Path log, URI readyUrl, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyUrl = readyUrl;
        this.pidFile = pidFile;
    }

    static ManagedProcess start(StackConfig config, String name, List<String> command, Map<String, String> env,
            Path workDir, URI readyUrl) throws IOException {
        Files.createDirectories(config.logs());
        Files.createDirectories(config.run());
        Path log = config.logs().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        Path pidFile = config.run().resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(process.pid()));
        return new ManagedProcess(name, process, log, readyUrl, pidFile);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Polls the readiness URL until it answers 200; fails early if the process dies. */
    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            if (answers200(readyUrl)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    static boolean answers200(URI url) {
        try {
            var reply = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return reply.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM to the process and everything it started, then SIGKILL after a grace period. */
    /** Ends the process at once (SIGKILL), as a crash or an out-of-memory kill would: it cleans nothing up. */
    void kill() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(20, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is harmless: 'down' checks that the process is alive
        }
    }

    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is harmless: 'down' checks that the process is alive
        }
    }
}

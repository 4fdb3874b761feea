package org.mihub.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real nats-server (Debian's {@code /usr/sbin/nats-server}, override with {@code MIHUB_NATS_SERVER})
 * with JetStream, on a free port of 127.0.0.1, its store in a temporary directory, and the federation's
 * NATS users (the shared contract): {@code hub} may do everything; each node user N (password
 * {@code N-dev-secret}) publishes {@code mihub.cards.N}, the JetStream API ({@code $JS.API.>}) and the
 * acknowledgements of its control and vocabulary consumers ({@code $JS.ACK.MIHUB_CONTROL.node-N.>},
 * {@code $JS.ACK.MIHUB_VOCABULARY.vocabulary-N.>}), never the vocabulary's subjects, and subscribes to
 * {@code _INBOX.>} and {@code mihub.control.N}. {@link #stop()} and {@link #start()} again keep the port
 * and the store, as a server restart does. {@link #config} is the configuration file, for launchers.
 */
public final class NatsServer implements AutoCloseable {

    private final List<String> nodes;
    private final Path directory;
    private final int port;
    private Process process;

    /** A server for these node users (besides {@code hub}); not started yet. */
    public NatsServer(List<String> nodes) {
        this.nodes = List.copyOf(nodes);
        try {
            directory = Files.createTempDirectory("mihub-nats");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = freePort();
    }

    public static String password(String user) {
        return user + "-dev-secret";
    }

    /**
     * The nats-server configuration: the listen address, JetStream with its store directory and the
     * users with their permissions.
     */
    public static String config(String host, int port, Path storeDirectory, List<String> nodes) {
        StringBuilder users = new StringBuilder();
        users.append("    { user: \"hub\", password: \"").append(password("hub")).append("\" }\n");
        for (String node : nodes) {
            users.append("    { user: \"").append(node).append("\", password: \"").append(password(node))
                    .append("\", permissions: {\n")
                    .append("        publish: { allow: [\"mihub.cards.").append(node).append("\", \"$JS.API.>\", ")
                    .append("\"$JS.ACK.MIHUB_CONTROL.node-").append(node).append(".>\", ")
                    .append("\"$JS.ACK.MIHUB_VOCABULARY.vocabulary-").append(node).append(".>\"] }\n")
                    .append("        subscribe: { allow: [\"_INBOX.>\", \"mihub.control.").append(node).append("\"] }\n")
                    .append("    } }\n");
        }
        return "listen: \"" + host + ":" + port + "\"\n"
                + "jetstream { store_dir: \"" + storeDirectory.toAbsolutePath() + "\" }\n"
                + "authorization {\n  users = [\n" + users + "  ]\n}\n";
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) and waits until it takes connections (at most 10 s). */
    public synchronized NatsServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Path config = directory.resolve("nats.conf");
            Files.writeString(config, config("127.0.0.1", port, directory.resolve("jetstream"), nodes),
                    StandardCharsets.UTF_8);
            String binary = System.getenv().getOrDefault("MIHUB_NATS_SERVER", "/usr/sbin/nats-server");
            process = new ProcessBuilder(binary, "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("nats.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start nats-server (Debian package nats-server)", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (log().contains("Server is ready")) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        throw new IllegalStateException("nats-server did not start in 10 s: " + log());
    }

    /** Stops the server (the store stays, as in a restart). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The server's output so far. */
    public String log() {
        try {
            Path log = directory.resolve("nats.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops the server and deletes its store. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary directory: left behind at worst
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

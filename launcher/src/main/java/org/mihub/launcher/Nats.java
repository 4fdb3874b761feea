package org.mihub.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The federation's NATS server: Debian's {@code nats-server} with JetStream, the hub's side of the
 * card, control and vocabulary streams. Every node connects as its own user, whose permissions let
 * it publish only its own cards ({@code mihub.cards.<node>}), read only its own control requests and
 * read the vocabulary; the hub's user may do everything (it creates the streams, consumes the cards
 * and publishes the vocabulary). JetStream's data is kept
 * in the state folder, so a restarted server has every message it had acknowledged.
 */
final class Nats {

    /** Where Debian's package installs the server (not on an ordinary user's PATH). */
    static final Path DEBIAN_BINARY = Path.of("/usr/sbin/nats-server");

    private Nats() {
    }

    /** The demo password of a NATS user (never used outside a demo). */
    static String demoPassword(String user) {
        return user + "-dev-secret";
    }

    /** Starts the server on {@code port} (monitoring on {@code monitorPort}) for the hub user and these node users. */
    static ManagedProcess start(StackConfig config, int port, int monitorPort, String hubUser, List<String> nodeUsers)
            throws IOException {
        Path binary = binary();
        Path dir = config.stateDir().resolve("nats");
        Files.createDirectories(dir.resolve("jetstream"));
        Path conf = dir.resolve("nats-server.conf");
        Files.writeString(conf, configuration(port, monitorPort, dir.resolve("jetstream"), hubUser, nodeUsers));
        return ManagedProcess.start(config, "nats", List.of(binary.toString(), "-c", conf.toString()), Map.of(),
                dir, URI.create("http://" + StackConfig.HOST + ":" + monitorPort + "/healthz?js-enabled-only=true"));
    }

    /** The server binary: {@code MIHUB_NATS_SERVER}, else Debian's, else {@code nats-server} on the PATH. */
    static Path binary() {
        String configured = System.getenv("MIHUB_NATS_SERVER");
        Path binary = configured != null && !configured.isBlank() ? Path.of(configured) : DEBIAN_BINARY;
        if (!Files.isExecutable(binary) && (configured == null || configured.isBlank())) {
            binary = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "nats-server")).filter(Files::isExecutable)
                    .findFirst().orElse(DEBIAN_BINARY);
        }
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("nats-server not found at " + binary + ": install Debian's package "
                    + "(apt-get install nats-server) or set MIHUB_NATS_SERVER to the binary");
        }
        return binary;
    }

    /** The server's configuration file (NATS's own format). */
    static String configuration(int port, int monitorPort, Path store, String hubUser, List<String> nodeUsers) {
        String users = nodeUsers.stream().map(Nats::nodeUser).collect(Collectors.joining("\n"));
        return """
                # written by the mihub launcher: the federation's NATS server (JetStream at the hub)
                server_name: mihub-hub
                host: %s
                port: %d
                http_port: %d
                max_payload: 1MB
                jetstream {
                  store_dir: "%s"
                  max_memory_store: 64MB
                  max_file_store: 2GB
                }
                authorization {
                  users = [
                    { user: "%s", password: "%s" }
                %s
                  ]
                }
                """.formatted(StackConfig.HOST, port, monitorPort, store, hubUser, demoPassword(hubUser), users);
    }

    /**
     * A node's user: it publishes its own cards and, for its durable consumers of its own control
     * requests and of the hub's vocabulary, the JetStream API calls they need (never a publication on
     * the vocabulary's subjects: only the hub's user publishes there); it reads replies to its own requests.
     */
    private static String nodeUser(String node) {
        String consumer = "node-" + node;
        String vocabulary = "vocabulary-" + node;
        List<String> publish = List.of(
                "mihub.cards." + node,
                "$JS.API.INFO",
                "$JS.API.STREAM.INFO.MIHUB_CONTROL",
                // only its own consumer: a wildcard would let a node create or change another node's
                "$JS.API.CONSUMER.CREATE.MIHUB_CONTROL." + consumer,
                "$JS.API.CONSUMER.CREATE.MIHUB_CONTROL." + consumer + ".mihub.control." + node,
                "$JS.API.CONSUMER.DURABLE.CREATE.MIHUB_CONTROL." + consumer,
                "$JS.API.CONSUMER.INFO.MIHUB_CONTROL." + consumer,
                "$JS.API.CONSUMER.MSG.NEXT.MIHUB_CONTROL." + consumer,
                "$JS.ACK.MIHUB_CONTROL." + consumer + ".>",
                // the consortium's vocabulary (every node reads all of it), through its own consumer
                "$JS.API.STREAM.INFO.MIHUB_VOCABULARY",
                "$JS.API.CONSUMER.CREATE.MIHUB_VOCABULARY." + vocabulary,
                "$JS.API.CONSUMER.CREATE.MIHUB_VOCABULARY." + vocabulary + ".mihub.vocabulary.*",
                "$JS.API.CONSUMER.DURABLE.CREATE.MIHUB_VOCABULARY." + vocabulary,
                "$JS.API.CONSUMER.INFO.MIHUB_VOCABULARY." + vocabulary,
                "$JS.API.CONSUMER.MSG.NEXT.MIHUB_VOCABULARY." + vocabulary,
                "$JS.ACK.MIHUB_VOCABULARY." + vocabulary + ".>");
        List<String> subscribe = List.of("_INBOX.>", "mihub.control." + node);
        return "    { user: \"%s\", password: \"%s\", permissions: { publish: { allow: [%s] }, subscribe: { allow: [%s] } } }"
                .formatted(node, demoPassword(node), quoted(publish), quoted(subscribe));
    }

    private static String quoted(List<String> subjects) {
        return subjects.stream().map(subject -> "\"" + subject + "\"").collect(Collectors.joining(", "));
    }
}

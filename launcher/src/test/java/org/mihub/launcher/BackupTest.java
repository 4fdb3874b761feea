package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a restore checks before it changes anything (manifest, files, checksums, schema versions),
 * the refusal of another PostgreSQL major version's data, and how the client tools are found.
 * Backup and restore themselves run against the real suite in {@link BackupIT}.
 */
class BackupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private StackConfig config;
    private Path backup;

    @BeforeEach
    void aBuildWithMigrationsAndABackupOfIt() throws IOException {
        config = new StackConfig(home, home.resolve(".mihub"), 18080);
        packagedMigrations(Service.CATALOG, "V1__datasets.sql", "V2__more.sql", "V10__segments.sql");
        packagedMigrations(Service.PREDICTION, "V1__models.sql", "V2__jobs.sql");
        packagedMigrations(Service.PLANNING, "V1__campaigns.sql", "V1_1__fix.sql");
        backup = home.resolve("backup");
        Files.createDirectories(backup);
        writeBackup("10", "2", "1.1");
    }

    @Test
    void aCompleteBackupWithinThisBuildsSchemaIsAccepted() throws IOException {
        List<Backup.Entry> entries = Backup.verify(config, backup);
        assertEquals(List.of("catalog", "prediction", "planning"), entries.stream().map(Backup.Entry::database).toList());
        assertEquals("10", Backup.builtSchemaVersion(config, Service.CATALOG), "10 is newer than 2");
        assertEquals("1_1", Backup.builtSchemaVersion(config, Service.PLANNING));
        writeBackup("9", "1", "1");
        Backup.verify(config, backup);
    }

    @Test
    void aDamagedFileIsRefusedByName() throws IOException {
        Files.writeString(backup.resolve("prediction.dump"), "prediction dumX");
        var refused = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(refused.getMessage().contains("prediction.dump is damaged"), refused.getMessage());
        Files.writeString(backup.resolve("prediction.dump"), "prediction dump and more");
        refused = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(refused.getMessage().contains("prediction.dump is damaged"), refused.getMessage());
    }

    @Test
    void anIncompleteBackupIsRefusedSayingWhatIsMissing() throws IOException {
        Path nowhere = home.resolve("nowhere");
        var noFolder = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, nowhere));
        assertTrue(noFolder.getMessage().contains("no backup at " + nowhere + ": no such folder"),
                noFolder.getMessage());

        Files.delete(backup.resolve("planning.dump"));
        var missing = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(missing.getMessage().contains("planning.dump is missing"), missing.getMessage());

        Files.delete(backup.resolve(Backup.MANIFEST));
        var noManifest = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(noManifest.getMessage().contains("manifest.json is missing"), noManifest.getMessage());

        writeBackup("10", "2", "1");
        ObjectNode manifest = (ObjectNode) JSON.readTree(backup.resolve(Backup.MANIFEST).toFile());
        ((ArrayNode) manifest.get("databases")).remove(1);
        JSON.writeValue(backup.resolve(Backup.MANIFEST).toFile(), manifest);
        var unlisted = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(unlisted.getMessage().contains("lists no database prediction"), unlisted.getMessage());

        Files.writeString(backup.resolve(Backup.MANIFEST), "{\"format\": ");
        var damaged = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(damaged.getMessage().contains("manifest.json is damaged"), damaged.getMessage());
    }

    @Test
    void aFileNameOutsideTheBackupIsRefused() throws IOException {
        writeBackup("10", "2", "1");
        String manifest = Files.readString(backup.resolve(Backup.MANIFEST)).replace("\"catalog.dump\"",
                "\"../catalog.dump\"");
        Files.writeString(backup.resolve(Backup.MANIFEST), manifest);
        var refused = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(refused.getMessage().contains("outside the backup"), refused.getMessage());
    }

    @Test
    void aSchemaNewerThanThisBuildsMigrationsIsRefused() throws IOException {
        writeBackup("10", "3", "1");
        var refused = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(refused.getMessage().contains("prediction database is at schema version 3"), refused.getMessage());
        assertTrue(refused.getMessage().contains("prediction-service reaches version 2"), refused.getMessage());
        writeBackup("10", "2", "1.2");
        refused = assertThrows(IllegalArgumentException.class, () -> Backup.verify(config, backup));
        assertTrue(refused.getMessage().contains("planning database is at schema version 1.2"), refused.getMessage());
    }

    @Test
    void aBackupGoesOnlyIntoAnEmptyFolderAndNeedsASuiteWithData() throws IOException {
        var notEmpty = assertThrows(IllegalArgumentException.class, () -> Backup.create(config, backup, message -> { }));
        assertTrue(notEmpty.getMessage().contains(backup + " is not empty"), notEmpty.getMessage());
        Path file = home.resolve("a-file");
        Files.writeString(file, "x");
        var notAFolder = assertThrows(IllegalArgumentException.class, () -> Backup.create(config, file, message -> { }));
        assertTrue(notAFolder.getMessage().contains("is not a folder"), notAFolder.getMessage());
        // no server on the suite's port and no data folder: nothing is created
        Path fresh = home.resolve("fresh");
        var nothing = assertThrows(IllegalArgumentException.class, () -> Backup.create(config, fresh, message -> { }));
        assertTrue(nothing.getMessage().contains("nothing to back up"), nothing.getMessage());
        assertTrue(Files.notExists(fresh) && Files.notExists(Postgres.dataDirectory(config)));
    }

    @Test
    void flywayVersionsCompareAsNumbersPartByPart() {
        assertTrue(Backup.compareVersions("10", "9") > 0);
        assertTrue(Backup.compareVersions("1.10", "1.9") > 0);
        assertTrue(Backup.compareVersions("1_1", "1") > 0);
        assertEquals(0, Backup.compareVersions("2", "2.0"));
        assertTrue(Backup.compareVersions("0", "1") < 0);
    }

    @Test
    void dataOfAnotherPostgresMajorVersionIsRefusedSayingWhatToDo() throws IOException {
        Path data = home.resolve("pgdata");
        Postgres.checkMajorVersion(data);
        Files.createDirectories(data);
        Files.writeString(data.resolve("PG_VERSION"), Postgres.major() + "\n");
        Postgres.checkMajorVersion(data);
        Files.writeString(data.resolve("PG_VERSION"), "17\n");
        var refused = assertThrows(IllegalStateException.class, () -> Postgres.checkMajorVersion(data));
        assertTrue(refused.getMessage().contains("made by PostgreSQL 17"), refused.getMessage());
        assertTrue(refused.getMessage().contains("this build runs PostgreSQL " + Postgres.VERSION), refused.getMessage());
        assertTrue(refused.getMessage().contains("remove " + data), refused.getMessage());
        assertTrue(refused.getMessage().contains("'pg_dump --format=plain'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("cannot read a newer pg_dump's archives"), refused.getMessage());
        Files.writeString(data.resolve("PG_VERSION"), (Postgres.major() - 1) + "\n");
        refused = assertThrows(IllegalStateException.class, () -> Postgres.checkMajorVersion(data));
        assertTrue(refused.getMessage().contains("made by PostgreSQL " + (Postgres.major() - 1)), refused.getMessage());
        assertTrue(refused.getMessage().contains("take './mihub backup DIR'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("'./mihub restore DIR'"), refused.getMessage());
    }

    @Test
    void theClientToolOfTheServersMajorVersionIsPreferredAndAMissingOneNamesThePackage() throws IOException {
        Path newer = fakeTool("newer", "pg_dump", "pg_dump (PostgreSQL) 99.1");
        Path same = fakeTool("same", "pg_dump", "pg_dump (PostgreSQL) 98.3 (Debian 98.3-1)");
        Path older = fakeTool("older", "pg_dump", "pg_dump (PostgreSQL) 97.0");
        String path = String.join(java.io.File.pathSeparator, older.toString(), newer.toString(), same.toString());
        var found = PostgresTools.find("pg_dump", 98, path);
        assertEquals(same.resolve("pg_dump"), found.path());
        assertEquals(98, found.major());
        assertEquals(newer.resolve("pg_dump"), PostgresTools.find("pg_dump", 98,
                older + java.io.File.pathSeparator + newer).path(), "a newer pg_dump reads an older server");
        var missing = assertThrows(IllegalStateException.class, () -> PostgresTools.find("pg_dump", 98,
                older.toString()));
        assertTrue(missing.getMessage().contains("apt-get install postgresql-client-98"), missing.getMessage());
        assertTrue(missing.getMessage().contains("found only"), missing.getMessage());
    }

    private Path fakeTool(String folder, String name, String version) throws IOException {
        Path dir = home.resolve(folder);
        Files.createDirectories(dir);
        Path tool = dir.resolve(name);
        Files.writeString(tool, "#!/bin/sh\necho '" + version + "'\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private void packagedMigrations(Service service, String... migrations) throws IOException {
        Path app = home.resolve(service.module()).resolve("target/quarkus-app/app");
        Files.createDirectories(app);
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(app.resolve(service.module()
                + "-0.1.0-SNAPSHOT.jar")))) {
            jar.putNextEntry(new ZipEntry("db/migration/"));
            for (String migration : migrations) {
                jar.putNextEntry(new ZipEntry("db/migration/" + migration));
                jar.write("SELECT 1;".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Dump files and a manifest that lists them truly, with the given schema versions (catalog, prediction, planning). */
    private void writeBackup(String catalog, String prediction, String planning) throws IOException {
        ObjectNode manifest = JSON.createObjectNode().put("format", Backup.FORMAT).put("mihubVersion", "0.1.0-TEST");
        ArrayNode databases = manifest.putArray("databases");
        String[] versions = {catalog, prediction, planning};
        String[] names = {"catalog", "prediction", "planning"};
        for (int i = 0; i < names.length; i++) {
            Path file = backup.resolve(names[i] + ".dump");
            Files.writeString(file, names[i] + " dump");
            databases.addObject().put("name", names[i]).put("file", file.getFileName().toString())
                    .put("size", Files.size(file)).put("sha256", Backup.sha256(file)).put("schemaVersion", versions[i]);
        }
        JSON.writeValue(backup.resolve(Backup.MANIFEST).toFile(), manifest);
    }
}

package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./mihub backup} and {@code ./mihub restore} on the running suite ({@link RunningSuite}):
 * data loaded through the gateway, a model trained, a campaign with reported results; backed up,
 * the three databases wiped, restored; every dataset export, the model's predictions and the
 * campaign's history read again are identical. A damaged backup is refused naming its file, and
 * changes nothing.
 */
@ExtendWith(RunningSuite.class)
class BackupIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GAPS = "formula,band_gap [eV]\nZnO,3.37\nZnS,3.68\nZnSe,2.7\nCdS,2.42\n"
            + "CdSe,1.74\nGaN,3.4\nGaP,2.26\nAlN,6.2\nAlP,2.45\nInN,0.7\nInP,1.34\nMgO,7.8\n";
    private static final String PREDICT = "{\"formulas\": [\"GaAs\", \"ZnTe\", \"CdTe\", \"AlAs\", \"InAs\", \"MgS\", "
            + "\"Zn0.5Cd0.5S\", \"GaN0.9P0.1\", \"Xx2O\"]}";

    @Test
    void aRestoredBackupReadsBackIdenticallyAndADamagedOneIsRefusedChangingNothing() throws Exception {
        StackConfig config = RunningSuite.config();
        String alice = Tokens.accessToken(config, "alice");

        // data through the gateway: a dataset with rows, a model trained on it, a campaign with results
        var created = RunningSuite.send("POST", "/api/v1/datasets", alice, "application/json",
                "{\"title\": \"backup gaps\", \"licence\": \"CC-BY-4.0\", \"visibility\": \"consortium\"}");
        assertEquals(201, created.statusCode(), created.body());
        String datasetId = JSON.readTree(created.body()).get("id").asText();
        var upload = RunningSuite.send("POST", "/api/v1/datasets/" + datasetId + "/records", alice, "text/csv", GAPS);
        assertEquals(200, upload.statusCode(), upload.body());
        var started = RunningSuite.send("POST", "/api/v1/models", alice, "application/json", "{\"name\": \"backup-gap\", "
                + "\"datasets\": [{\"datasetId\": \"" + datasetId + "\"}], \"targetProperty\": \"band_gap\", "
                + "\"hyperparameters\": {\"nTrees\": 20}, \"seed\": 11, \"kFolds\": 3}");
        assertEquals(202, started.statusCode(), started.body());
        JsonNode job = RunningSuite.awaitJob(JSON.readTree(started.body()).get("id").asText(), alice,
                Duration.ofMinutes(2));
        assertEquals("succeeded", job.get("state").asText(), job.toString());
        String modelId = job.get("resultId").asText();
        String campaignId = campaignWithResults(alice);

        Map<String, String> before = snapshot(alice, modelId, campaignId);
        assertTrue(before.containsKey("export csv " + datasetId), before.keySet().toString());
        assertTrue(before.get("export csv " + datasetId).contains("ZnSe"));
        assertTrue(before.get("predict " + modelId).contains("\"mean\""), before.get("predict " + modelId));
        assertEquals(4, JSON.readTree(before.get("campaign " + campaignId)).get("history").size());

        // the backup: one dump per database, each listed with its size, checksum and schema version
        Path root = config.home().resolve("launcher/target/backup-it");
        Folders.deleteTree(root);
        Path backup = root.resolve("backup");
        Main.backup(config, backup);
        JsonNode manifest = JSON.readTree(backup.resolve(Backup.MANIFEST).toFile());
        assertEquals(Backup.FORMAT, manifest.get("format").asText());
        assertTrue(manifest.get("serverVersion").asText().startsWith("15."), manifest.toString());
        assertEquals(3, manifest.get("databases").size());
        for (JsonNode database : manifest.get("databases")) {
            Path file = backup.resolve(database.get("file").asText());
            assertEquals(database.get("name").asText() + ".dump", file.getFileName().toString());
            assertEquals(Files.size(file), database.get("size").asLong());
            assertEquals(Backup.sha256(file), database.get("sha256").asText());
            Service service = Service.byShortName(database.get("name").asText());
            assertEquals(Backup.builtSchemaVersion(config, service), database.get("schemaVersion").asText(),
                    "the services migrated their databases to this build's schema at start");
        }
        var notEmpty = assertThrows(IllegalArgumentException.class, () -> Main.backup(config, backup));
        assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());
        // another suite's state folder on this suite's ports: its PostgreSQL is not the one named
        StackConfig elsewhere = new StackConfig(config.home(), root.resolve("other-state"), config.basePort());
        Files.createDirectories(Postgres.dataDirectory(elsewhere));
        var notThisSuite = assertThrows(IllegalStateException.class, () -> Main.backup(elsewhere,
                root.resolve("other-backup")));
        assertTrue(notThisSuite.getMessage().contains("not this suite's " + Postgres.dataDirectory(elsewhere)),
                notThisSuite.getMessage());
        var notThisSuiteRestore = assertThrows(IllegalStateException.class, () -> Backup.restore(elsewhere, backup,
                null, message -> { }));
        assertTrue(notThisSuiteRestore.getMessage().contains("not this suite's"), notThisSuiteRestore.getMessage());

        // a damaged copy is refused before anything is touched: the services keep running, the data stays
        Path damaged = root.resolve("damaged");
        Files.createDirectories(damaged);
        try (var files = Files.list(backup)) {
            for (Path file : files.toList()) {
                Files.copy(file, damaged.resolve(file.getFileName()));
            }
        }
        byte[] dump = Files.readAllBytes(damaged.resolve("prediction.dump"));
        dump[dump.length / 2] ^= 0x5a;
        Files.write(damaged.resolve("prediction.dump"), dump);
        List<String> processes = RunningSuite.stack().describe();
        var refused = assertThrows(IllegalArgumentException.class, () -> Main.restore(config, damaged));
        assertTrue(refused.getMessage().contains("prediction.dump is damaged"), refused.getMessage());
        Files.delete(damaged.resolve("catalog.dump"));
        var incomplete = assertThrows(IllegalArgumentException.class, () -> Main.restore(config, damaged));
        assertTrue(incomplete.getMessage().contains("catalog.dump is missing"), incomplete.getMessage());
        assertEquals(processes, RunningSuite.stack().describe(), "no service was stopped or restarted");
        assertEquals(before, snapshot(Tokens.accessToken(config, "alice"), modelId, campaignId));

        // wiped: the three databases dropped and created empty
        try (Connection connection = Postgres.superuser(config, "postgres");
                Statement statement = connection.createStatement()) {
            for (Service service : Backup.databases()) {
                statement.execute("DROP DATABASE " + service.shortName() + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + service.shortName() + " OWNER " + Postgres.USER);
            }
        }
        alice = Tokens.accessToken(config, "alice");
        assertNotEquals(200, RunningSuite.get("/api/v1/datasets/" + datasetId + "/export?format=csv", alice)
                .statusCode(), "the data is gone");

        // restored: the services were stopped and started again, and everything reads back as it was
        Main.restore(config, backup);
        for (Service service : Service.values()) {
            assertTrue(RunningSuite.stack().running(service), service.module() + " runs again");
        }
        assertNotEquals(processes, RunningSuite.stack().describe(), "the backends were restarted");
        Map<String, String> after = snapshot(Tokens.accessToken(config, "alice"), modelId, campaignId);
        assertEquals(before.keySet(), after.keySet());
        for (String key : before.keySet()) {
            assertEquals(before.get(key), after.get(key), key);
        }
        // the restored model still serves and the campaign goes on
        var next = RunningSuite.send("POST", "/api/v1/campaigns/" + campaignId + "/proposals",
                Tokens.accessToken(config, "alice"), "application/json", "");
        assertEquals(200, next.statusCode(), next.body());
        Folders.deleteTree(root);
    }

    /** A campaign over explicit candidates with two reported results and a second batch proposed; its id. */
    private static String campaignWithResults(String alice) throws Exception {
        String spec = "{\"spec\": {\"name\": \"backup hardness\", \"objectives\": [{\"property\": \"hardness\", "
                + "\"direction\": \"maximise\", \"unit\": \"GPa\"}], \"designSpace\": {\"explicit\": {\"candidates\": ["
                + "{\"id\": \"c0\", \"formula\": \"Fe\"}, {\"id\": \"c1\", \"formula\": \"FeNi\"}, "
                + "{\"id\": \"c2\", \"formula\": \"Ni\"}, {\"id\": \"c3\", \"formula\": \"FeCo\"}, "
                + "{\"id\": \"c4\", \"formula\": \"Co\"}]}}, \"acquisition\": {\"batchSize\": 2}, \"seed\": 3}}";
        var created = RunningSuite.send("POST", "/api/v1/campaigns", alice, "application/json", spec);
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).get("id").asText();
        var first = RunningSuite.send("POST", "/api/v1/campaigns/" + id + "/proposals", alice, "application/json", "");
        assertEquals(200, first.statusCode(), first.body());
        JsonNode proposals = JSON.readTree(first.body()).get("proposals");
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < proposals.size(); i++) {
            results.append(i == 0 ? "" : ", ").append("{\"proposalId\": \"").append(proposals.get(i).get("id").asText())
                    .append("\", \"measured\": {\"values\": [{\"property\": \"hardness\", \"value\": {\"value\": ")
                    .append(1.5 + i * 0.3).append(", \"unit\": \"GPa\"}}]}}");
        }
        var told = RunningSuite.send("POST", "/api/v1/campaigns/" + id + "/results", alice, "application/json",
                "{\"results\": [" + results + "]}");
        assertEquals(200, told.statusCode(), told.body());
        var second = RunningSuite.send("POST", "/api/v1/campaigns/" + id + "/proposals", alice, "application/json", "");
        assertEquals(200, second.statusCode(), second.body());
        return id;
    }

    /**
     * What alice reads: every dataset she may see (its record and its CSV and JSONL exports), every
     * model (record, and for the given model a batch of predictions and its out-of-fold predictions),
     * every campaign (full, with its history, and its proposals). Keyed by what was read.
     */
    private static Map<String, String> snapshot(String token, String modelId, String campaignId) throws Exception {
        Map<String, String> read = new LinkedHashMap<>();
        for (String id : ids("/api/v1/datasets?limit=100", "datasets", token)) {
            read.put("dataset " + id, ok("/api/v1/datasets/" + id, token));
            read.put("export csv " + id, ok("/api/v1/datasets/" + id + "/export?format=csv", token));
            read.put("export jsonl " + id, ok("/api/v1/datasets/" + id + "/export?format=jsonl", token));
        }
        for (String id : ids("/api/v1/models?limit=100", "models", token)) {
            read.put("model " + id, ok("/api/v1/models/" + id, token));
        }
        var predicted = RunningSuite.send("POST", "/api/v1/models/" + modelId + "/predict", token, "application/json",
                PREDICT);
        assertEquals(200, predicted.statusCode(), predicted.body());
        read.put("predict " + modelId, predicted.body());
        read.put("out-of-fold " + modelId, ok("/api/v1/models/" + modelId + "/out-of-fold", token));
        for (String id : ids("/api/v1/campaigns?limit=100", "campaigns", token)) {
            read.put("campaign " + id, ok("/api/v1/campaigns/" + id + "?view=full", token));
            read.put("proposals " + id, ok("/api/v1/campaigns/" + id + "/proposals", token));
        }
        assertTrue(read.containsKey("campaign " + campaignId), read.keySet().toString());
        return read;
    }

    /** Every id of a listing, page by page. */
    private static List<String> ids(String path, String field, String token) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(ok(path + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token));
            page.get(field).forEach(item -> ids.add(item.get("id").asText()));
            cursor = page.path("nextCursor").asText("");
            cursor = cursor.isEmpty() ? null : cursor;
        } while (cursor != null);
        return ids;
    }

    private static String ok(String path, String token) throws Exception {
        var reply = RunningSuite.get(path, token);
        assertEquals(200, reply.statusCode(), path + ": " + reply.body());
        return reply.body();
    }

}

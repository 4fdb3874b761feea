package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A forgiving upload through the gateway, then its record: {@code mode=skip-invalid} writes the good
 * rows and names the bad one, and {@code GET /api/v1/datasets/{id}/ingests} keeps what was skipped and
 * why — for the owner organisation only.
 */
@ExtendWith(RunningSuite.class)
class IngestHistoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOwnerSeesWhatAForgivingUploadSkippedAndOthersDoNot() throws Exception {
        String alice = Tokens.accessToken(RunningSuite.config(), "alice");
        HttpResponse<String> created = RunningSuite.send("POST", "/api/v1/datasets", alice, "application/json",
                "{\"title\":\"ingest history\",\"licence\":\"CC0-1.0\",\"visibility\":\"private\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        HttpResponse<String> upload = RunningSuite.send("POST", "/api/v1/datasets/" + id + "/records?mode=skip-invalid"
                + "&sourceName=three.csv", alice, "text/csv", "formula,band_gap [eV]\nGaAs,1.42\nQq2O,1.0\nZnSe,2.7\n");
        assertEquals(200, upload.statusCode(), upload.body());
        assertEquals(1, JSON.readTree(upload.body()).path("rowsSkipped").asInt(), upload.body());

        HttpResponse<String> history = RunningSuite.get("/api/v1/datasets/" + id + "/ingests", alice);
        assertEquals(200, history.statusCode(), history.body());
        JsonNode ingest = JSON.readTree(history.body()).path("ingests").path(0);
        assertEquals("skip-invalid", ingest.path("mode").asText(), history.body());
        assertEquals("three.csv", ingest.path("sourceName").asText());
        assertEquals(2, ingest.path("rowsWritten").asInt());
        assertEquals(1, ingest.path("rowsSkipped").asInt());
        JsonNode skipped = ingest.path("skipped").path(0);
        assertEquals(2, skipped.path("row").asInt(), history.body());
        assertEquals("formula", skipped.path("column").asText());
        assertTrue(skipped.path("reason").asText().contains("Qq"), skipped.toString());
        assertEquals(200, RunningSuite.get("/api/v1/datasets/" + id + "/ingests",
                Tokens.accessToken(RunningSuite.config(), "dave")).statusCode(), "a member of the owner organisation");

        String bob = Tokens.accessToken(RunningSuite.config(), "bob");
        assertEquals(404, RunningSuite.get("/api/v1/datasets/" + id + "/ingests", bob).statusCode());
        HttpResponse<String> shared = RunningSuite.send("PUT", "/api/v1/datasets/" + id + "/sharing",
                Tokens.accessToken(RunningSuite.config(), "alice"), "application/json", "{\"visibility\":\"consortium\"}");
        assertEquals(200, shared.statusCode(), shared.body());
        HttpResponse<String> reader = RunningSuite.get("/api/v1/datasets/" + id + "/ingests", bob);
        assertEquals(403, reader.statusCode(), "bob reads the rows, not the owner's ingest history: " + reader.body());
        assertEquals(400, RunningSuite.get("/api/v1/datasets/" + id + "/ingests?cursor=zz", alice).statusCode());
    }
}

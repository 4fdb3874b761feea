package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The OPTIMADE API end to end: the gateway, the catalog's filter translation and PostgreSQL, with
 * Keycloak tokens. Known answers on data this test loads, paging by links.next, the refusals, and
 * visibility: anonymous callers see PUBLIC data only, a caller with a token what the catalog lets
 * them see, and a hidden material is not found and not counted.
 */
@ExtendWith(RunningSuite.class)
class OptimadeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUTILE = "{\"lattice\": {\"a\": {\"x\": 4.594, \"y\": 0, \"z\": 0}, \"b\": {\"x\": 0, "
            + "\"y\": 4.594, \"z\": 0}, \"c\": {\"x\": 0, \"y\": 0, \"z\": 2.959}}, \"sites\": ["
            + "{\"species\": \"Ti\", \"fractional\": {\"x\": 0, \"y\": 0, \"z\": 0}}, "
            + "{\"species\": \"Ti\", \"fractional\": {\"x\": 0.5, \"y\": 0.5, \"z\": 0.5}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.3, \"y\": 0.3, \"z\": 0}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.7, \"y\": 0.7, \"z\": 0}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.8, \"y\": 0.2, \"z\": 0.5}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.2, \"y\": 0.8, \"z\": 0.5}}], "
            + "\"space_group_symbol\": \"P4_2/mnm\", \"space_group_number\": 136}";

    private static String alice;
    private static String bob;
    private static String hidden;
    private static String open;
    private static String rutileId;

    @BeforeAll
    static void aliceLoadsAPrivateAndAPublicDataset() throws Exception {
        alice = Tokens.accessToken(RunningSuite.config(), "alice");
        bob = Tokens.accessToken(RunningSuite.config(), "bob");
        hidden = dataset("optimade private", "private", "");
        ok(RunningSuite.send("POST", "/api/v1/datasets/" + hidden + "/records", alice, "application/x-ndjson", """
                {"sample_key": "rutile", "formula": "TiO2", "structure": %s, "measurements": [%s]}
                {"sample_key": "anatase", "formula": "TiO2", "measurements": [%s]}
                {"sample_key": "ilmenite", "formula": "FeTiO3", "measurements": [%s]}
                {"sample_key": "hematite", "formula": "Fe2O3", "measurements": [%s]}
                {"sample_key": "magnetite", "formula": "Fe3O4"}
                """.formatted(RUTILE, gap(3.0), gap(3.2), gap(2.8), gap(2.1))));
        open = dataset("optimade public", "public", ", \"doi\": \"10.5281/zenodo.1234567\", \"citation\": "
                + "\"Alice et al., Quartz gaps (2026)\"");
        ok(RunningSuite.send("POST", "/api/v1/datasets/" + open + "/records", alice, "application/x-ndjson",
                "{\"sample_key\": \"quartz\", \"formula\": \"SiO2\", \"measurements\": [" + gap(8.9) + "]}\n"));
        rutileId = structures(alice, "_mihub_sample_key=\"rutile\" AND " + in(hidden)).get("data").get(0).get("id")
                .asText();
    }

    private static String gap(double eV) {
        return "{\"property\": \"band_gap\", \"value\": {\"value\": " + eV + ", \"unit\": \"eV\"}}";
    }

    /** @param more further JSON members of the dataset, each with a leading comma */
    private static String dataset(String title, String visibility, String more) throws Exception {
        var created = ok(RunningSuite.send("POST", "/api/v1/datasets", alice, "application/json", "{\"title\": \""
                + title + "\", \"licence\": \"CC-BY-4.0\", \"visibility\": \"" + visibility + "\"" + more + "}"));
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static HttpResponse<String> ok(HttpResponse<String> reply) {
        assertTrue(reply.statusCode() < 300, reply.statusCode() + " " + reply.body());
        return reply;
    }

    private static String in(String dataset) {
        return "_mihub_dataset_id=\"" + dataset + "\"";
    }

    private static HttpResponse<String> get(String token, String filter, String more) throws Exception {
        return RunningSuite.get("/optimade/v1/structures?filter=" + encode(filter) + more, token);
    }

    private static JsonNode structures(String token, String filter) throws Exception {
        return JSON.readTree(ok(get(token, filter, "")).body());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Set<String> keys(JsonNode document) {
        List<String> keys = new ArrayList<>();
        document.get("data").forEach(entry -> keys.add(entry.get("attributes").get("_mihub_sample_key").asText()));
        return Set.copyOf(keys);
    }

    @Test
    void filtersGiveTheKnownAnswers() throws Exception {
        assertEquals(Set.of("rutile", "anatase", "ilmenite"), keys(structures(alice, in(hidden)
                + " AND elements HAS ALL \"Ti\",\"O\"")));
        assertEquals(Set.of("rutile", "anatase", "hematite", "magnetite"), keys(structures(alice, in(hidden)
                + " AND elements HAS ONLY \"Ti\",\"O\",\"Fe\" AND nelements=2")));
        assertEquals(Set.of("rutile", "anatase", "ilmenite"), keys(structures(alice, in(hidden)
                + " AND _mihub_band_gap >= 2.5")));
        assertEquals(Set.of("hematite"), keys(structures(alice, in(hidden) + " AND NOT _mihub_band_gap >= 2.5")),
                "magnetite has no band gap: it matches neither the condition nor its negation");
        assertEquals(Set.of("magnetite"), keys(structures(alice, in(hidden) + " AND chemical_formula_anonymous="
                + "\"A4B3\"")));
        assertEquals(Set.of("rutile"), keys(structures(alice, in(hidden) + " AND nsites=6 AND "
                + "space_group_it_number=136")));
    }

    @Test
    void entriesCarryTheStructureAndTheMeasurements() throws Exception {
        JsonNode document = JSON.readTree(ok(RunningSuite.get("/optimade/v1/structures/" + rutileId, alice)).body());
        JsonNode rutile = document.get("data").get("attributes");
        assertEquals("O2Ti", rutile.get("chemical_formula_reduced").asText());
        assertEquals("A2B", rutile.get("chemical_formula_anonymous").asText());
        assertEquals(6, rutile.get("nsites").asInt());
        assertEquals(2.297, rutile.get("cartesian_site_positions").get(1).get(0).asDouble(), 1e-9);
        assertEquals(3.0, rutile.get("_mihub_band_gap").asDouble(), 1e-12);
        assertEquals("acme", rutile.get("_mihub_owner_org").asText());
        assertEquals("[]", rutile.get("structure_features").toString());
        JsonNode some = JSON.readTree(ok(get(alice, in(hidden), "&response_fields=nelements,_exmpl_x")).body());
        JsonNode attributes = some.get("data").get(0).get("attributes");
        assertEquals(2, attributes.size(), attributes.toString());
        assertTrue(attributes.get("_exmpl_x").isNull());
    }

    @Test
    void pagesFollowLinksNextInTheSortedOrder() throws Exception {
        String path = "/optimade/v1/structures?filter=" + encode(in(hidden)) + "&sort=-_mihub_band_gap&page_limit=2";
        List<String> seen = new ArrayList<>();
        String url = RunningSuite.config().gatewayUrl() + path;
        for (int page = 0; page < 5 && url != null; page++) {
            JsonNode document = JSON.readTree(ok(RunningSuite.get(url.substring(
                    RunningSuite.config().gatewayUrl().length()), alice)).body());
            assertEquals(5, document.get("meta").get("data_returned").asInt());
            document.get("data").forEach(entry -> seen.add(entry.get("attributes").get("_mihub_sample_key")
                    .asText()));
            JsonNode next = document.get("links").get("next");
            assertEquals(document.get("meta").get("more_data_available").asBoolean(), !next.isNull());
            url = next.isNull() ? null : next.asText();
        }
        assertEquals(List.of("anatase", "rutile", "ilmenite", "hematite", "magnetite"), seen,
                "band gap descending, no band gap last");
    }

    @Test
    void everyoneSeesExactlyWhatTheCatalogLetsThemSee() throws Exception {
        assertEquals(0, structures(null, in(hidden)).get("meta").get("data_returned").asInt(),
                "anonymous: not even a count of the private data");
        assertEquals(0, structures(bob, in(hidden)).get("meta").get("data_returned").asInt(), "bob: another org");
        assertEquals(5, structures(alice, in(hidden)).get("meta").get("data_returned").asInt());
        assertEquals(Set.of("quartz"), keys(structures(null, in(open))));
        assertEquals(Set.of("quartz"), keys(structures(bob, in(open))));
        assertEquals(404, RunningSuite.get("/optimade/v1/structures/" + rutileId, null).statusCode());
        assertEquals(404, RunningSuite.get("/optimade/v1/structures/" + rutileId, bob).statusCode());
        JsonNode everything = structures(null, "");
        everything.get("data").forEach(entry -> assertFalse(entry.get("attributes").get("_mihub_dataset_id")
                .asText().equals(hidden)));
    }

    /** Datasets are OPTIMADE references, under the same rule: a hidden one is not listed, counted or found. */
    @Test
    void datasetsAreReferencesForWhoeverMaySeeThem() throws Exception {
        String ours = "id = \"" + hidden + "\" OR id = \"" + open + "\"";
        String url = "/optimade/v1/references?filter=" + encode(ours);
        JsonNode anonymous = JSON.readTree(ok(RunningSuite.get(url, null)).body());
        assertEquals(1, anonymous.get("meta").get("data_returned").asInt());
        JsonNode cited = anonymous.get("data").get(0);
        assertEquals(open, cited.get("id").asText());
        assertEquals("references", cited.get("type").asText());
        assertEquals("10.5281/zenodo.1234567", cited.get("attributes").get("doi").asText());
        assertEquals("https://doi.org/10.5281/zenodo.1234567", cited.get("attributes").get("url").asText());
        assertEquals("Alice et al., Quartz gaps (2026)", cited.get("attributes").get("note").asText());
        assertEquals(1, cited.get("attributes").get("_mihub_nmaterials").asInt());
        assertEquals(1, JSON.readTree(ok(RunningSuite.get(url, bob)).body()).get("meta").get("data_returned").asInt(),
                "bob: another organisation's private dataset is hidden");
        assertEquals(2, JSON.readTree(ok(RunningSuite.get(url, alice)).body()).get("meta").get("data_returned")
                .asInt());
        assertEquals(404, RunningSuite.get("/optimade/v1/references/" + hidden, null).statusCode());
        assertEquals(404, RunningSuite.get("/optimade/v1/references/" + hidden, bob).statusCode());
        JsonNode own = JSON.readTree(ok(RunningSuite.get("/optimade/v1/references/" + hidden
                + "?response_fields=title,authors", alice)).body()).get("data");
        assertEquals("optimade private", own.get("attributes").get("title").asText());
        assertTrue(own.get("attributes").get("authors").isNull(), "a standard field a dataset does not record");
        JsonNode rutile = JSON.readTree(ok(RunningSuite.get("/optimade/v1/structures/" + rutileId, alice)).body());
        assertEquals(hidden, rutile.get("data").get("attributes").get("_mihub_dataset_id").asText(),
                "a structure names its reference");
    }

    @Test
    void refusalsAreJsonApiErrorsThatSayWhereAndWhy() throws Exception {
        JsonNode syntax = refusal(400, get(alice, "nelements > 2 AND", ""));
        assertTrue(syntax.get("detail").asText().contains("position 18"), syntax.toString());
        assertEquals("filter", syntax.get("source").get("parameter").asText());
        assertTrue(refusal(400, get(alice, "band_gap > 1", "")).get("detail").asText()
                .contains("unknown property 'band_gap'"));
        assertTrue(refusal(501, get(alice, "nelements = \"2\"", "")).get("detail").asText()
                .contains("'nelements' is an integer"));
        assertTrue(refusal(400, get(alice, "nelements = 2", "&sort=elements")).get("detail").asText()
                .contains("not sortable"));
        JsonNode info = JSON.readTree(ok(RunningSuite.get("/optimade/v1/info/structures", null)).body());
        assertEquals("eV", info.get("data").get("properties").get("_mihub_band_gap").get("unit").asText());
        assertTrue(info.get("data").get("properties").get("_mihub_band_gap").get("sortable").asBoolean());
    }

    private static JsonNode refusal(int status, HttpResponse<String> reply) throws Exception {
        assertEquals(status, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.api+json"));
        JsonNode document = JSON.readTree(reply.body());
        assertEquals("1.2.0", document.get("meta").get("api_version").asText());
        return document.get("errors").get(0);
    }

    /** Every labelled filter of ../shared/data/optimade over HTTP: valid ones run, invalid ones are 400 with a position. */
    @Test
    void everyLabelledFilterOverHttp() throws Exception {
        Path file = Path.of("../../shared/data/optimade/filter_cases.json");
        assumeTrue(Files.isRegularFile(file), "../shared/data/optimade is absent: no labelled filters to send");
        for (JsonNode labelled : JSON.readTree(file.toFile())) {
            String filter = labelled.get("filter").asText();
            HttpResponse<String> reply = get(alice, filter, "&page_limit=2");
            String errors = reply.statusCode() == 200 ? "" : JSON.readTree(reply.body()).get("errors").toString();
            if (labelled.get("valid").asBoolean()) {
                assertTrue(reply.statusCode() == 200 || reply.statusCode() == 501
                        || reply.statusCode() == 400 && errors.contains("unknown property"),
                        filter + " -> " + reply.statusCode() + " " + errors);
            } else {
                assertEquals(400, reply.statusCode(), filter);
                assertTrue(errors.contains("position"), filter + " -> " + errors);
            }
        }
    }

    /**
     * The OPTIMADE consortium's own validator (../shared/tools/optimade-validator) against the running
     * gateway, anonymously and with a token: no failure, the optional tests included.
     */
    @Test
    void theConsortiumsValidatorFindsNothing() throws Exception {
        Path validator = Path.of("../../shared/tools/optimade-validator/run").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(validator), validator + " is absent: the OPTIMADE validator cannot run");
        String base = RunningSuite.config().gatewayUrl() + "/optimade/v1";
        for (String token : new String[] {null, alice}) {
            List<String> command = new ArrayList<>(List.of(validator.toString(), base, "--json"));
            if (token != null) {
                command.addAll(List.of("--headers", "{\"Authorization\": \"Bearer " + token + "\"}"));
            }
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            String who = token == null ? "anonymous" : "with alice's token";
            JsonNode summary = JSON.readTree(output.substring(output.indexOf('{')));
            for (String count : List.of("failure_count", "internal_failure_count", "optional_failure_count")) {
                assertEquals(0, summary.path(count).asInt(-1), who + ": " + count + " in " + summary.toPrettyString());
            }
            assertTrue(summary.path("success_count").asInt() > 0, who + ": " + output);
            System.out.printf("[optimade-validator] %s: %d passed, %d failed; optional %d passed, %d failed%n", who,
                    summary.path("success_count").asInt(), summary.path("failure_count").asInt(),
                    summary.path("optional_success_count").asInt(), summary.path("optional_failure_count").asInt());
        }
    }
}

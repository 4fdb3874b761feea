package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.ListStructureFieldsRequest;
import org.mihub.api.catalog.v1.QueryReferencesRequest;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.QueryStructuresResponse;
import org.mihub.api.catalog.v1.StructureField;
import org.mihub.api.catalog.v1.StructureSort;
import org.mihub.api.common.v1.Visibility;
import org.mihub.catalog.optimade.FilterSyntaxException;
import org.mihub.catalog.service.OptimadeService;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.testing.PostgresResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * OPTIMADE filters run in PostgreSQL against materials with known answers: set operators,
 * formulas, measured properties with unknown values, structures, sorting, paging, refusals, and
 * what each caller may see.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StructureQueryTest {

    static final String ACME = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final String KANSAI = CatalogClient.token("bob", "kansai-u", "member", "contributor");

    private static final String ROCK_SALT = """
            "structure": {"lattice": {"a": {"x": 5.64, "y": 0, "z": 0}, "b": {"x": 0, "y": 5.64, "z": 0}, \
            "c": {"x": 0, "y": 0, "z": 5.64}}, "sites": [{"species": "%s", "fractional": {"x": 0, "y": 0, "z": 0}%s}, \
            {"species": "%s", "fractional": {"x": 0.5, "y": 0.5, "z": 0.5}}], "space_group_symbol": "Fm-3m", \
            "space_group_number": 225}""";

    @Inject
    OptimadeService structures;

    private CatalogClient client;
    private String oxides;
    private String secret;
    private String open;

    @BeforeAll
    void load() throws InterruptedException {
        client = new CatalogClient();
        oxides = client.as(ACME).createDataset(CreateDatasetRequest.newBuilder().setTitle("optimade oxides")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.CONSORTIUM).build()).getId();
        client.ingest(ACME, oxides, null, IngestFormat.INGEST_FORMAT_NDJSON, """
                {"sample_key": "hematite", "formula": "Fe2O3", "measurements": [%s]}
                {"sample_key": "wustite", "formula": "FeO"}
                {"sample_key": "zincite", "formula": "ZnO", "measurements": [%s]}
                {"sample_key": "delafossite", "formula": "CuFeO2", "measurements": [%s, %s]}
                {"sample_key": "mixed", "formula": "(Fe0.5Co0.5)2O3", "tags": ["solid-solution"]}
                {"sample_key": "salt", "formula": "NaCl", %s}
                {"sample_key": "defective", "formula": "FeO", %s}
                """.formatted(gap(2.1), gap(3.37), gap(1.5), gap(1.7), ROCK_SALT.formatted("Na", "", "Cl"),
                ROCK_SALT.formatted("Fe", ", \"occupancy\": 0.9", "O")), 4096);
        secret = client.as(KANSAI).createDataset(CreateDatasetRequest.newBuilder().setTitle("optimade secret")
                .setLicence("CC-BY-4.0").build()).getId();
        client.ingest(KANSAI, secret, null, IngestFormat.INGEST_FORMAT_NDJSON,
                "{\"sample_key\": \"kansai-hematite\", \"formula\": \"Fe2O3\", \"measurements\": [" + gap(2.0) + "]}\n",
                4096);
        open = client.as(ACME).createDataset(CreateDatasetRequest.newBuilder().setTitle("optimade open")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.PUBLIC).build()).getId();
        client.ingest(ACME, open, null, IngestFormat.INGEST_FORMAT_NDJSON,
                "{\"sample_key\": \"quartz\", \"formula\": \"SiO2\"}\n", 4096);
    }

    private static String gap(double eV) {
        return "{\"property\": \"band_gap\", \"value\": {\"value\": " + eV + ", \"unit\": \"eV\"}}";
    }

    @AfterAll
    void close() {
        client.close();
    }

    private QueryStructuresResponse query(String token, String filter, StructureSort... sort) {
        return client.as(token).queryStructures(QueryStructuresRequest.newBuilder().setFilter(filter)
                .addAllSort(List.of(sort)).setLimit(100).build());
    }

    /** The sample keys of the oxides dataset's materials that match, sorted by key unless {@code sort} is given. */
    private List<String> keys(String filter, StructureSort... sort) {
        var keys = query(ACME, "_mihub_dataset_id = \"" + oxides + "\" AND (" + filter + ")", sort).getMaterialsList()
                .stream().map(org.mihub.api.catalog.v1.Material::getSampleKey);
        return sort.length == 0 ? keys.sorted().toList() : keys.toList();
    }

    @Test
    void setOperatorsOnElements() {
        assertEquals(List.of("defective", "delafossite", "hematite", "mixed", "wustite"),
                keys("elements HAS ALL \"Fe\", \"O\""));
        assertEquals(List.of("defective", "hematite", "wustite"), keys("elements HAS ONLY \"Fe\", \"O\""));
        assertEquals(List.of("salt", "zincite"), keys("elements HAS ANY \"Zn\", \"Na\""));
        assertEquals(List.of("delafossite", "mixed"), keys("elements LENGTH >= 3"));
        assertEquals(List.of("delafossite", "mixed"), keys("nelements > 2"));
        assertEquals(List.of("salt"), keys("elements HAS < \"Fe\" AND NOT elements HAS \"Fe\""),
                "an operator inside HAS compares items by code point: Cl is before Fe, O and Zn are after");
    }

    @Test
    void formulasAreTheOptimadeForms() {
        assertEquals(List.of("mixed"), keys("chemical_formula_reduced = \"CoFeO3\""));
        assertEquals(List.of("hematite"), keys("chemical_formula_anonymous = \"A3B2\""));
        assertEquals(List.of("delafossite"), keys("chemical_formula_descriptive STARTS WITH \"Cu\""));
        assertEquals(List.of("mixed"), keys("chemical_formula_descriptive CONTAINS \"0.5\""));
        assertEquals(List.of("defective", "wustite"), keys("chemical_formula_reduced = \"FeO\""));
        assertEquals(List.of("defective", "wustite"), keys("elements:elements_ratios HAS \"Fe\":>0.45"),
                "a set zip pairs each element with its ratio");
    }

    @Test
    void unknownValuesMatchNothingButIsUnknownEvenUnderNot() {
        assertEquals(List.of("delafossite", "hematite", "zincite"), keys("_mihub_band_gap IS KNOWN"));
        assertEquals(List.of("hematite", "zincite"), keys("_mihub_band_gap > 2"));
        assertEquals(List.of("delafossite"), keys("NOT _mihub_band_gap > 2"),
                "materials without a band gap match neither the condition nor its negation");
        assertEquals(List.of("delafossite"), keys("_mihub_band_gap = 1.7"), "any measurement may match");
        assertEquals(List.of(), keys("_mihub_band_gap > 1.55 AND _mihub_band_gap < 1.65"),
                "bounds joined by AND hold for one measurement: 1.5 and 1.7 are both outside");
        assertEquals(List.of("delafossite", "hematite", "zincite"),
                keys("NOT (_mihub_band_gap > 1.55 AND 1.65 > _mihub_band_gap)"));
        assertEquals(List.of("defective", "mixed", "salt", "wustite"), keys("_mihub_band_gap IS UNKNOWN"));
        assertEquals(List.of(), keys("chemical_formula_hill IS KNOWN"), "a standard property mihub does not hold");
    }

    @Test
    void structuresAreFilterable() {
        assertEquals(List.of("defective", "salt"), keys("nsites = 2"));
        assertEquals(List.of("defective", "salt"), keys("lattice_vectors IS KNOWN"));
        assertEquals(List.of("defective", "salt"), keys("lattice_vectors LENGTH 3"));
        assertEquals(List.of("defective", "salt"), keys("cartesian_site_positions LENGTH 2"));
        assertEquals(List.of(), keys("species_at_sites LENGTH > 2"));
        assertEquals(List.of("defective", "salt"), keys("species LENGTH 2"), "Fe_0.9 and O; Na and Cl");
        assertEquals(List.of(), keys("NOT species LENGTH 2"),
                "materials without a structure match neither the condition nor its negation");
        assertEquals(List.of("defective"), keys("structure_features HAS \"disorder\""));
        assertEquals(List.of("salt"), keys("structure_features LENGTH 0 AND nperiodic_dimensions = 3 AND "
                + "space_group_it_number = 225 AND NOT elements HAS \"Fe\""));
        assertEquals(List.of("mixed"), keys("_mihub_tags HAS \"solid-solution\""));
    }

    @Test
    void aTimeWithoutAZoneIsUtc() {
        List<String> all = List.of("defective", "delafossite", "hematite", "mixed", "salt", "wustite", "zincite");
        assertEquals(all, keys("last_modified > \"2019-06-08T04:13:37\""));
        assertEquals(all, keys("last_modified > \"2019-06-08T04:13:37Z\""));
        assertEquals(List.of(), keys("last_modified < \"2019-06-08T04:13:37.5\""));
        String now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusHours(1).toString();
        assertEquals(all, keys("last_modified < \"" + now + "\""), "read as UTC, not the server's zone");
    }

    @Test
    void otherProvidersPropertiesAreUnknownWithAWarning() {
        var response = query(ACME, "_mihub_dataset_id = \"" + oxides + "\" AND (_exmpl_x = 1 OR nelements = 1)");
        assertEquals(0, response.getDataReturned());
        assertTrue(response.getWarnings(0).contains("'_exmpl_x' belongs to the provider 'exmpl'"),
                response.getWarningsList().toString());
    }

    @Test
    void sortingAndPaging() {
        assertEquals(List.of("zincite", "hematite", "delafossite"), keys("_mihub_band_gap IS KNOWN",
                StructureSort.newBuilder().setProperty("_mihub_band_gap").setDescending(true).build()));
        assertEquals(List.of("defective", "salt"), keys("nsites = 2",
                StructureSort.newBuilder().setProperty("chemical_formula_reduced").setDescending(true).build()));
        String filter = "_mihub_dataset_id = \"" + oxides + "\"";
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 7; offset += 3) {
            var page = client.as(ACME).queryStructures(QueryStructuresRequest.newBuilder().setFilter(filter)
                    .addSort(StructureSort.newBuilder().setProperty("_mihub_sample_key")).setLimit(3)
                    .setOffset(offset).build());
            assertEquals(7, page.getDataReturned());
            assertEquals(offset + 3 < 7, page.getMoreDataAvailable());
            page.getMaterialsList().forEach(material -> seen.add(material.getSampleKey()));
        }
        assertEquals(List.of("defective", "delafossite", "hematite", "mixed", "salt", "wustite", "zincite"), seen);
        var salt = query(ACME, "nsites = 2 AND elements HAS \"Na\" AND " + filter).getMaterials(0);
        assertEquals(2, salt.getStructure().getSitesCount(), "entries carry their crystal structure");
    }

    @Test
    void refusalsSayWhatAndWhere() {
        assertRefused(Status.Code.INVALID_ARGUMENT, "position 11", "nelements 3");
        assertRefused(Status.Code.INVALID_ARGUMENT, "unknown property 'band_gap'", "band_gap > 1");
        assertRefused(Status.Code.INVALID_ARGUMENT, "unknown property '_mihub_nonsense'", "_mihub_nonsense = 1");
        assertRefused(Status.Code.INVALID_ARGUMENT, "RFC 3339", "last_modified > \"yesterday\"");
        assertRefused(Status.Code.UNIMPLEMENTED, "'nelements' is an integer", "nelements = \"2\"");
        assertRefused(Status.Code.UNIMPLEMENTED, "'elements' is a list", "elements = \"Fe\"");
        assertRefused(Status.Code.UNIMPLEMENTED, "IS KNOWN, IS UNKNOWN and LENGTH", "lattice_vectors HAS 1");
        StatusRuntimeException sort = assertThrows(StatusRuntimeException.class, () -> query(ACME, "",
                StructureSort.newBuilder().setProperty("elements").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, sort.getStatus().getCode());
        assertTrue(sort.getStatus().getDescription().contains("'elements' is not sortable"));
    }

    private void assertRefused(Status.Code code, String fragment, String filter) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> query(ACME, filter));
        assertEquals(code, refused.getStatus().getCode(), filter);
        assertTrue(refused.getStatus().getDescription().contains(fragment), refused.getStatus().getDescription());
    }

    @Test
    void everyoneSeesWhatTheCatalogLetsThemSee() {
        String hematites = "chemical_formula_reduced = \"Fe2O3\" AND (_mihub_dataset_id = \"" + oxides
                + "\" OR _mihub_dataset_id = \"" + secret + "\")";
        assertEquals(Set.of("hematite"), sampleKeys(query(ACME, hematites)));
        assertEquals(Set.of("hematite", "kansai-hematite"), sampleKeys(query(KANSAI, hematites)),
                "bob sees acme's consortium data and his own private data");
        assertEquals(Set.of(), sampleKeys(query(null, hematites)), "anonymous callers see PUBLIC data only");
        assertEquals(Set.of("quartz"), sampleKeys(query(null, "_mihub_dataset_id = \"" + open + "\"")));
        assertEquals(0, query(ACME, "_mihub_dataset_id = \"" + secret + "\"").getDataReturned(),
                "not even a count of what is hidden");
        var anonymous = query(null, "");
        assertTrue(anonymous.getMaterialsList().stream().allMatch(material -> !material.getDatasetId().equals(oxides)
                && !material.getDatasetId().equals(secret)));
    }

    @Test
    void datasetsAreReferencesUnderTheSameRule() {
        String ours = "id = \"" + oxides + "\" OR id = \"" + secret + "\" OR id = \"" + open + "\"";
        assertEquals(List.of("optimade open", "optimade oxides"), titles(ACME, ours));
        assertEquals(List.of("optimade open", "optimade oxides", "optimade secret"), titles(KANSAI, ours),
                "bob sees acme's consortium dataset and his own private one");
        assertEquals(List.of("optimade open"), titles(null, ours), "anonymous callers see PUBLIC datasets only");
        assertEquals(List.of(), titles(ACME, "title CONTAINS \"secret\""), "a hidden dataset is not found");
        assertEquals(List.of("optimade open"), titles(ACME, "(" + ours + ") AND _mihub_nmaterials = 1 AND doi IS "
                + "UNKNOWN AND authors IS UNKNOWN AND last_modified > \"2020-01-01T00:00:00Z\""));
        var sorted = client.as(KANSAI).queryReferences(QueryReferencesRequest.newBuilder().setFilter(ours)
                .addSort(StructureSort.newBuilder().setProperty("title").setDescending(true)).setLimit(2).build());
        assertEquals(List.of("optimade secret", "optimade oxides"), sorted.getDatasetsList().stream()
                .map(org.mihub.api.catalog.v1.Dataset::getTitle).toList());
        assertEquals(3, sorted.getDataReturned());
        assertTrue(sorted.getMoreDataAvailable());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> titles(ACME, "nsites = 2"));
        assertTrue(unknown.getStatus().getDescription().contains("see /info/references"),
                unknown.getStatus().getDescription());
        var fields = client.as(null).listStructureFields(ListStructureFieldsRequest.newBuilder()
                .setEntryType("references").build()).getFieldsList();
        assertTrue(fields.stream().anyMatch(field -> field.getName().equals("doi") && field.getServed()));
        StatusRuntimeException type = assertThrows(StatusRuntimeException.class, () -> client.as(null)
                .listStructureFields(ListStructureFieldsRequest.newBuilder().setEntryType("calculations").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, type.getStatus().getCode());
    }

    private List<String> titles(String token, String filter) {
        return client.as(token).queryReferences(QueryReferencesRequest.newBuilder().setFilter(filter).setLimit(100)
                .build()).getDatasetsList().stream().map(org.mihub.api.catalog.v1.Dataset::getTitle).sorted().toList();
    }

    private static Set<String> sampleKeys(QueryStructuresResponse response) {
        return Set.copyOf(response.getMaterialsList().stream().map(org.mihub.api.catalog.v1.Material::getSampleKey)
                .toList());
    }

    @Test
    void theServedFieldsIncludeTheVocabulary() {
        var fields = client.as(null).listStructureFields(ListStructureFieldsRequest.getDefaultInstance())
                .getFieldsList();
        StructureField gap = fields.stream().filter(field -> field.getName().equals("_mihub_band_gap")).findFirst()
                .orElseThrow();
        assertEquals("eV", gap.getUnit());
        assertTrue(gap.getSortable());
        assertTrue(fields.stream().anyMatch(field -> field.getName().equals("structure_features")));
        assertFalse(fields.stream().filter(field -> field.getName().equals("chemical_formula_hill")).findFirst()
                .orElseThrow().getServed(), "a standard property mihub does not hold is known, not served");
    }

    /** Every valid labelled filter of ../shared/data/optimade runs in PostgreSQL; none is refused as ungrammatical. */
    @Test
    void everyValidLabelledFilterRuns() throws Exception {
        Path file = Path.of("../../shared/data/optimade/filter_cases.json");
        assumeTrue(Files.isRegularFile(file), "../shared/data/optimade is absent: no labelled filters to run");
        Caller admin = new Caller("admin", "acme", Set.of(Caller.ADMIN), "admin", "test");
        int ran = 0;
        int unknown = 0;
        int unimplemented = 0;
        for (JsonNode labelled : new ObjectMapper().readTree(file.toFile())) {
            if (!labelled.get("valid").asBoolean()) {
                continue;
            }
            String filter = labelled.get("filter").asText();
            try {
                structures.query(Optional.of(admin), filter, List.of(), 5, 0);
                ran++;
            } catch (FilterSyntaxException e) {
                throw new AssertionError("a valid filter was refused as ungrammatical: " + filter, e);
            } catch (ApiException e) {
                if (e.kind() == ApiException.Kind.UNIMPLEMENTED) {
                    unimplemented++;
                } else {
                    assertEquals(ApiException.Kind.INVALID_ARGUMENT, e.kind(), filter);
                    assertTrue(e.getMessage().contains("unknown property"), filter + ": " + e.getMessage());
                    unknown++;
                }
            }
        }
        assertTrue(ran >= 20, "ran " + ran + ", unknown property " + unknown + ", unimplemented " + unimplemented);
    }
}

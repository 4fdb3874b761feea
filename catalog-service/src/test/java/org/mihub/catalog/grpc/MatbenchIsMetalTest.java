package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyFilter;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.common.testing.PostgresResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The shared Matbench classification set ({@code ../shared/data/matbench/matbench_expt_is_metal.csv}:
 * mbid, composition, is_metal, test_fold; 4921 rows, 2451 metals) ingested as it is, its yes/no
 * column as a boolean property a curator adds first; skipped with a message when the file is absent.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatbenchIsMetalTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final Path FILE = Path.of("../../shared/data/matbench/matbench_expt_is_metal.csv");

    @Inject
    DataSource dataSource;

    private CatalogClient client;

    @BeforeAll
    void open() {
        client = new CatalogClient();
    }

    @AfterAll
    void close() {
        client.close();
    }

    @Test
    void theMatbenchMetalTableGoesInAsABooleanProperty() throws Exception {
        assumeTrue(Files.isRegularFile(FILE), "skipped: " + FILE.toAbsolutePath().normalize() + " is absent");
        List<CSVRecord> rows;
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(FILE, StandardCharsets.UTF_8))) {
            rows = parser.getRecords();
        }
        long metals = rows.stream().filter(row -> row.get("is_metal").equals("true")).count();
        // the file's own columns, renamed to the catalog's: mbid as the sample id, the fold as a tag
        StringBuilder csv = new StringBuilder();
        try (var printer = new CSVPrinter(csv, CSVFormat.RFC4180)) {
            printer.printRecord("sample_id", "formula", "is_metal_mb", "tags");
            for (CSVRecord row : rows) {
                printer.printRecord(row.get("mbid"), row.get("composition"), row.get("is_metal"),
                        "fold-" + row.get("test_fold"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("is_metal_mb").setDisplayName("Metal (experimental)").setDisplayNameJa("金属 (実験)")
                .setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN)
                .setDescription("Whether the compound is a metal, from Matbench expt_is_metal.")).build());
        String dataset = client.as(ALICE).createDataset(CreateDatasetRequest.newBuilder()
                .setTitle("matbench_expt_is_metal").setLicence("MIT").build()).getId();
        var result = client.ingestCsv(ALICE, dataset, "matbench-is-metal", csv.toString(), 64 * 1024);
        assertEquals(rows.size(), result.getRowsWritten());
        assertEquals(rows.size(), result.getMeasurementsWritten());
        assertEquals(metals, count("SELECT count(*) FROM measurement WHERE dataset_id = ?::uuid "
                + "AND property = 'is_metal_mb' AND label = 'true' AND value = 1", dataset));
        assertEquals(rows.size() - metals, count("SELECT count(*) FROM measurement WHERE dataset_id = ?::uuid "
                + "AND property = 'is_metal_mb' AND label = 'false' AND value = 0", dataset));
        var page = client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(MaterialQuery
                .newBuilder().addDatasetIds(dataset).setFormula("Ag(W3Br7)2").addProperties(PropertyFilter
                        .newBuilder().setProperty("is_metal_mb").addLabels("true"))).build());
        assertEquals(List.of("mb-expt-is-metal-0002"), page.getMaterialsList().stream()
                .map(org.mihub.api.catalog.v1.Material::getSampleKey).toList());
    }

    private long count(String sql, String dataset) throws SQLException {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(sql)) {
            select.setString(1, dataset);
            var rows = select.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }
}

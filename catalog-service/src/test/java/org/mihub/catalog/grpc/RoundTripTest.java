package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.common.testing.PostgresResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Export, then ingest what was exported: the JSONL export reads back unchanged (process steps,
 * conditions, uncertainties, a categorical and a boolean property), and so does the CSV export for
 * what its layout holds (sample ids, formulas, tags, method, instrument, source, values with
 * uncertainties, labels, conditions per row and process steps).
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoundTripTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogClient client;

    @BeforeAll
    void open() {
        client = new CatalogClient();
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("phase_rt").setDisplayName("Phase").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL)
                .addAllLabels(List.of("fcc", "bcc", "hcp"))).build());
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("is_metal_rt").setDisplayName("Metal").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN))
                .build());
    }

    @AfterAll
    void close() {
        client.close();
    }

    private String newDataset(String title) {
        return client.as(ALICE).createDataset(CreateDatasetRequest.newBuilder().setTitle(title)
                .setLicence("CC-BY-4.0").build()).getId();
    }

    private String export(String dataset, ExportFormat format) {
        StringBuilder out = new StringBuilder();
        client.as(ALICE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(dataset).setFormat(format)
                .build()).forEachRemaining(message -> out.append(message.getData().toStringUtf8()));
        return out.toString();
    }

    /** An export without what a new ingest necessarily changes: material and measurement ids, reported units. */
    private static List<JsonNode> comparable(String jsonl) throws Exception {
        List<JsonNode> materials = new java.util.ArrayList<>();
        for (String line : jsonl.lines().toList()) {
            ObjectNode material = (ObjectNode) JSON.readTree(line);
            material.remove("id");
            material.get("measurements").forEach(measurement -> ((ObjectNode) measurement).remove("reported"));
            materials.add(material);
        }
        return materials;
    }

    @Test
    void theJsonlExportReadsBackUnchanged() throws Exception {
        String original = newDataset("original");
        client.ingest(ALICE, original, null, IngestFormat.INGEST_FORMAT_NDJSON, """
                {"sample_key": "s1", "formula": "Fe0.7Ni0.3", "tags": ["alloy", "annealed"], \
                "process_steps": [{"kind": "arc-melt", "parameters": [{"name": "atmosphere", "text": "Ar"}]}, \
                {"kind": "anneal", "parameters": [{"name": "temperature", "quantity": {"value": 600, "unit": "Cel"}}, \
                {"name": "time", "quantity": {"value": 2, "unit": "h"}}]}], \
                "measurements": [{"property": "hardness", "value": {"value": 4.2, "unit": "GPa"}, "uncertainty": 0.1, \
                "method": "Vickers", "instrument": "HV-1", "conditions": [{"name": "temperature", \
                "quantity": {"value": 300, "unit": "K"}}]}, {"property": "phase_rt", "label": "fcc"}, \
                {"property": "is_metal_rt", "label": "true", "source": "simulation"}]}
                {"sample_key": "s2", "formula": "D2O", "measurements": [{"property": "band_gap", \
                "value": {"value": 6900, "unit": "meV"}, "uncertainty": 100}, {"property": "is_metal_rt", "label": "no"}]}
                """, 64);
        String first = export(original, ExportFormat.EXPORT_FORMAT_JSONL);
        String copy = newDataset("copy");
        var again = client.ingest(ALICE, copy, null, IngestFormat.INGEST_FORMAT_NDJSON, first, 64);
        assertEquals(2, again.getRowsWritten());
        assertEquals(5, again.getMeasurementsWritten());
        String second = export(copy, ExportFormat.EXPORT_FORMAT_JSONL);
        assertEquals(comparable(first), comparable(second));
        assertTrue(first.contains("\"label\":\"fcc\"") && first.contains("\"kind\":\"anneal\"")
                && first.contains("\"uncertainty\":0.1"), first);
    }

    @Test
    void theCsvExportReadsBackUnchangedForWhatItHolds() throws Exception {
        String original = newDataset("csv original");
        client.ingestCsv(ALICE, original, null, """
                sample_id,formula,tags,method,instrument,band_gap [meV],band_gap_uncertainty,phase_rt,is_metal_rt,\
                condition.temperature [K],condition.atmosphere,step1.anneal.temperature [Cel],step1.anneal.atmosphere,\
                step2.quench.medium
                a,Fe,metal;bcc,XRD,D8,,,bcc,yes,300,Ar,800,Ar,water
                b,ZnO,oxide,optical absorption,,3370,20,,false,4.2,,,,
                """, 64);
        String first = export(original, ExportFormat.EXPORT_FORMAT_CSV);
        String copy = newDataset("csv copy");
        assertEquals(2, client.ingestCsv(ALICE, copy, null, first, 64).getRowsWritten());
        assertEquals(first, export(copy, ExportFormat.EXPORT_FORMAT_CSV));
        assertTrue(first.contains("3.37") && first.contains("0.02") && first.contains("bcc"), first);
        String header = first.lines().findFirst().orElseThrow();
        for (String column : List.of("method", "instrument", "condition.temperature [K]", "condition.atmosphere",
                "step1.anneal.temperature [Cel]", "step1.anneal.atmosphere", "step2.quench.medium")) {
            assertTrue(header.contains(column), column + " missing from " + header);
        }
        assertTrue(first.contains("XRD,D8") && first.contains(",Ar,800") && first.contains("water"), first);
    }
}

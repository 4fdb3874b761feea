package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.ListStructureFieldsRequest;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyFilter;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.common.testing.PostgresResource;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Categorical, boolean and text properties on PostgreSQL: ingested from CSV and JSON (their labels
 * checked), read back, searched (is_metal = true, phase in fcc, bcc), exported and filtered through
 * OPTIMADE under the provider prefix.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelledPropertiesTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");

    private CatalogClient client;
    private String dataset;

    @BeforeAll
    void load() throws InterruptedException {
        client = new CatalogClient();
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("is_metal_l").setDisplayName("Metal").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN))
                .build());
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("phase_l").setDisplayName("Phase").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL)
                .addAllLabels(List.of("fcc", "bcc", "hcp"))).build());
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("colour_l").setDisplayName("Colour").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_TEXT))
                .build());
        dataset = client.as(ALICE).createDataset(CreateDatasetRequest.newBuilder().setTitle("labelled")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.CONSORTIUM).build()).getId();
        var result = client.ingestCsv(ALICE, dataset, null, """
                sample_id,formula,is_metal_l,phase_l,colour_l,band_gap [eV]
                fe,Fe,true,bcc,grey,
                ni,Ni,yes,fcc,silver,
                zno,ZnO,false,,white,3.3
                cu,Cu,1,fcc,red,
                """, 64);
        assertEquals(4, result.getRowsWritten());
        assertEquals(12, result.getMeasurementsWritten());
        client.ingest(ALICE, dataset, null, IngestFormat.INGEST_FORMAT_NDJSON, """
                {"sample_key": "ti", "formula": "Ti", "measurements": [{"property": "phase_l", "label": "hcp"}, \
                {"property": "is_metal_l", "label": "true"}]}
                """, 64);
    }

    @AfterAll
    void close() {
        client.close();
    }

    private Set<String> search(PropertyFilter.Builder filter) {
        return new TreeSet<>(client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder()
                .setQuery(MaterialQuery.newBuilder().addDatasetIds(dataset).addProperties(filter)).build())
                .getMaterialsList().stream().map(org.mihub.api.catalog.v1.Material::getSampleKey).toList());
    }

    @Test
    void labelledMeasurementsAreSearchedByTheirLabels() {
        assertEquals(Set.of("cu", "fe", "ni", "ti"), search(PropertyFilter.newBuilder().setProperty("is_metal_l")
                .addLabels("true")));
        assertEquals(Set.of("zno"), search(PropertyFilter.newBuilder().setProperty("is_metal_l").addLabels("no")));
        assertEquals(Set.of("cu", "fe", "ni"), search(PropertyFilter.newBuilder().setProperty("phase_l")
                .addAllLabels(List.of("fcc", "bcc"))));
        assertEquals(Set.of("ti"), search(PropertyFilter.newBuilder().setProperty("phase_l").addLabels("hcp")));
        assertEquals(Set.of("cu"), search(PropertyFilter.newBuilder().setProperty("colour_l").addLabels("red")));
        assertEquals(Set.of("zno"), search(PropertyFilter.newBuilder().setProperty("band_gap").setMin(3)));

        var badLabel = assertThrows(StatusRuntimeException.class, () -> search(PropertyFilter.newBuilder()
                .setProperty("phase_l").addLabels("bct")));
        assertEquals(Status.Code.INVALID_ARGUMENT, badLabel.getStatus().getCode());
        assertTrue(badLabel.getStatus().getDescription().contains("properties[0].labels[0]"));
        var range = assertThrows(StatusRuntimeException.class, () -> search(PropertyFilter.newBuilder()
                .setProperty("is_metal_l").setMin(1)));
        assertTrue(range.getStatus().getDescription().contains("properties[0].min"), range.getMessage());
        var labelsOnNumber = assertThrows(StatusRuntimeException.class, () -> search(PropertyFilter.newBuilder()
                .setProperty("band_gap").addLabels("wide")));
        assertTrue(labelsOnNumber.getStatus().getDescription().contains("properties[0].labels"));
    }

    @Test
    void aMaterialShowsItsLabelsWithoutAValue() {
        var fe = client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(MaterialQuery
                .newBuilder().addDatasetIds(dataset).setFormula("Fe")).build()).getMaterials(0);
        var material = client.as(ALICE).getMaterial(GetMaterialRequest.newBuilder().setId(fe.getId()).build());
        var phase = material.getMeasurementsList().stream().filter(m -> m.getProperty().equals("phase_l")).findFirst()
                .orElseThrow();
        assertEquals("bcc", phase.getLabel());
        assertFalse(phase.hasValue());
        var metal = material.getMeasurementsList().stream().filter(m -> m.getProperty().equals("is_metal_l"))
                .findFirst().orElseThrow();
        assertEquals("true", metal.getLabel(), "yes, 1 and true are stored as true");
    }

    @Test
    void exportsWriteLabelsInColumnsWithoutUnits() {
        StringBuilder csv = new StringBuilder();
        client.as(ALICE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(dataset).build())
                .forEachRemaining(message -> csv.append(message.getData().toStringUtf8()));
        String header = csv.toString().lines().findFirst().orElseThrow();
        assertTrue(header.contains("band_gap [eV],band_gap_uncertainty"), header);
        assertTrue(header.contains(",is_metal_l,") && header.contains(",phase_l") && header.contains(",colour_l"), header);
        assertFalse(header.contains("is_metal_l [") || header.contains("phase_l_uncertainty"), header);
        assertTrue(csv.toString().lines().anyMatch(line -> line.contains("Fe") && line.contains("bcc")
                && line.contains("true")), csv.toString());
        StringBuilder jsonl = new StringBuilder();
        client.as(ALICE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(dataset)
                .setFormat(ExportFormat.EXPORT_FORMAT_JSONL).build())
                .forEachRemaining(message -> jsonl.append(message.getData().toStringUtf8()));
        assertTrue(jsonl.toString().contains("{\"property\":\"phase_l\",\"label\":\"hcp\""), jsonl.toString());
    }

    @Test
    void optimadeFiltersLabelsUnderTheProviderPrefix() {
        var metals = client.as(ALICE).queryStructures(QueryStructuresRequest.newBuilder().setFilter("_mihub_dataset_id = \""
                + dataset + "\" AND _mihub_is_metal_l = TRUE").setLimit(100).build());
        assertEquals(4, metals.getDataReturned());
        var fcc = client.as(ALICE).queryStructures(QueryStructuresRequest.newBuilder().setFilter("_mihub_dataset_id = \""
                + dataset + "\" AND _mihub_phase_l = \"fcc\"").setLimit(100).build());
        assertEquals(Set.of("cu", "ni"), new TreeSet<>(fcc.getMaterialsList().stream()
                .map(org.mihub.api.catalog.v1.Material::getSampleKey).toList()));
        var notFcc = client.as(ALICE).queryStructures(QueryStructuresRequest.newBuilder().setFilter("_mihub_dataset_id = \""
                + dataset + "\" AND NOT _mihub_phase_l = \"fcc\"").setLimit(100).build());
        assertEquals(Set.of("fe", "ti"), new TreeSet<>(notFcc.getMaterialsList().stream()
                .map(org.mihub.api.catalog.v1.Material::getSampleKey).toList()), "zno has no phase: unknown");
        var fields = client.as(null).listStructureFields(ListStructureFieldsRequest.getDefaultInstance());
        assertTrue(fields.toString().contains("_mihub_is_metal_l"), "listed");
    }

    @Test
    void aBadLabelOrAUnitOnALabelledColumnIsRefusedWithItsColumn() throws Exception {
        var badLabel = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, dataset, null,
                "formula,phase_l,is_metal_l\nFe,fcc,true\nCo,fc,maybe\n", 64));
        var rejected = CatalogClient.rejected(badLabel);
        assertEquals(2, rejected.getRejectionsCount(), rejected.toString());
        assertEquals("phase_l", rejected.getRejections(0).getColumn());
        assertTrue(rejected.getRejections(0).getReason().contains("did you mean fcc?"), rejected.toString());
        assertEquals(2, rejected.getRejections(0).getRow());
        assertEquals("is_metal_l", rejected.getRejections(1).getColumn());
        var unit = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, dataset, null,
                "formula,is_metal_l [K]\nFe,true\n", 64));
        assertTrue(CatalogClient.rejected(unit).getRejections(0).getReason().contains("has no unit"));
        var uncertainty = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, dataset, null,
                "formula,phase_l,phase_l_uncertainty\nFe,fcc,0.1\n", 64));
        assertTrue(CatalogClient.rejected(uncertainty).getRejections(0).getReason().contains("only a numeric"));
        var json = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE, dataset, null,
                IngestFormat.INGEST_FORMAT_NDJSON, "{\"formula\": \"Fe\", \"measurements\": [{\"property\": "
                        + "\"phase_l\", \"value\": {\"value\": 1}}]}\n", 64));
        assertEquals("measurements[0].label", CatalogClient.rejected(json).getRejections(0).getColumn());
    }
}

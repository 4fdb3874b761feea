package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.CrystalStructure;
import org.mihub.api.catalog.v1.ExternalId;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.Lattice;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.catalog.v1.RecordBatch;
import org.mihub.api.catalog.v1.Site;
import org.mihub.api.catalog.v1.Vector3;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestOutcome;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.MaterialView;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.IngestRejected;
import org.mihub.api.catalog.v1.RejectionCode;
import org.mihub.api.catalog.v1.RowRejection;
import org.mihub.common.testing.PostgresResource;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** CSV ingest over the client stream: validation of every row, atomicity, units, idempotency. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final String DAVE = CatalogClient.token("dave", "acme", "member");

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

    private String newDataset() {
        return client.as(ALICE).createDataset(CreateDatasetRequest.newBuilder().setTitle("ingest")
                .setLicence("CC-BY-4.0").build()).getId();
    }

    private long count(String sql, String datasetId) throws SQLException {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(sql)) {
            select.setString(1, datasetId);
            var rows = select.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private IngestRejected rejectedIngest(String datasetId, String csv) throws Exception {
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, datasetId, null, csv, 7));
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.getMessage());
        assertEquals(0, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", datasetId),
                "a rejected document writes nothing");
        return CatalogClient.rejected(error);
    }

    @Test
    void aGoodDocumentBecomesANewVersionWithValuesInCanonicalUnits() throws Exception {
        String id = newDataset();
        String csv = """
                sample_id,formula,band_gap [meV],band_gap_uncertainty,melting_point [Cel],condition.temperature [K],\
                step1.anneal.temperature [Cel],step1.anneal.atmosphere,tags
                s1,Fe2O3,2100,50,1565,300,900,air,oxide;hematite
                s2,CuSO4·5H2O,,,110,,,,hydrate
                s3,(Fe0.5Co0.5)2O3,1500,,,,,,
                """;
        var result = client.ingestCsv(ALICE, id, null, csv, 5);
        assertEquals(IngestOutcome.INGEST_OUTCOME_COMMITTED, result.getOutcome());
        assertEquals(3, result.getRowsWritten());
        assertEquals(4, result.getMeasurementsWritten());
        assertEquals(2, result.getDatasetVersion());
        var dataset = client.as(DAVE).getDataset(GetDatasetRequest.newBuilder().setId(id).build());
        assertEquals(3, dataset.getRowCount());
        assertEquals(2, dataset.getVersion());
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(
                "SELECT m.value, m.uncertainty, m.reported_value, m.reported_unit, x.reduced_formula, x.elements, "
                        + "x.process_steps::text FROM measurement m JOIN material x ON x.id = m.material_id "
                        + "WHERE x.sample_key = 's1' AND m.property = ? AND x.dataset_id = ?::uuid")) {
            select.setString(1, "band_gap");
            select.setString(2, id);
            var row = select.executeQuery();
            assertTrue(row.next());
            assertEquals(2.1, row.getDouble(1), 1e-12);
            assertEquals(0.05, row.getDouble(2), 1e-12);
            assertEquals(2100, row.getDouble(3), 0);
            assertEquals("meV", row.getString(4));
            assertEquals("Fe2O3", row.getString(5));
            assertEquals(List.of("Fe", "O"), List.of((String[]) row.getArray(6).getArray()));
            assertTrue(row.getString(7).contains("anneal"), row.getString(7));
            select.setString(1, "melting_point");
            var melting = select.executeQuery();
            assertTrue(melting.next());
            assertEquals(1838.15, melting.getDouble(1), 1e-9);
        }
    }

    @Test
    void jsonAndNdjsonDocumentsAreValidatedAndWrittenLikeCsv() throws Exception {
        String id = newDataset();
        String ndjson = """
                {"sample_key": "n1", "formula": "Fe2O3", "tags": ["oxide"], "measurements": [{"property": "band_gap", \
                "value": {"value": 2100, "unit": "meV"}, "uncertainty": 50, "conditions": [{"name": "temperature", \
                "quantity": {"value": 300, "unit": "K"}}]}], "process_steps": [{"kind": "anneal", "parameters": \
                [{"name": "temperature", "quantity": {"value": 900, "unit": "Cel"}}, {"name": "atmosphere", "text": "air"}]}]}
                {"sample_key": "n2", "formula": "ZnO"}
                """;
        var result = client.ingest(ALICE, id, null, IngestFormat.INGEST_FORMAT_NDJSON, ndjson, 11);
        assertEquals(2, result.getRowsWritten());
        assertEquals(1, result.getMeasurementsWritten());
        var material = client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(
                MaterialQuery.newBuilder().addDatasetIds(id).setFormula("Fe2O3")).setView(MaterialView.MATERIAL_VIEW_FULL)
                .build()).getMaterials(0);
        assertEquals(2.1, material.getMeasurements(0).getValue().getValue(), 1e-12);
        assertEquals(0.05, material.getMeasurements(0).getUncertainty(), 1e-12);
        assertEquals("anneal", material.getProcessSteps(0).getKind());
        assertEquals("air", material.getProcessSteps(0).getParameters(1).getText());

        String json = "[{\"formula\": \"Si\", \"measurements\": [{\"property\": \"band_gap\", \"value\": "
                + "{\"value\": 1.1, \"unit\": \"MPa\"}}]}, {\"formula\": \"Ge\", \"measurements\": "
                + "[{\"property\": \"shine\", \"value\": {\"value\": 1}}]}]";
        var error = assertThrows(StatusRuntimeException.class,
                () -> client.ingest(ALICE, id, null, IngestFormat.INGEST_FORMAT_JSON, json, 9));
        List<String> found = CatalogClient.rejected(error).getRejectionsList().stream()
                .map(r -> r.getRow() + ":" + r.getColumn() + ":" + r.getCode()).toList();
        assertEquals(List.of("1:measurements[0].value.unit:REJECTION_CODE_INCOMPATIBLE_UNIT",
                "2:measurements[0].property:REJECTION_CODE_UNKNOWN_PROPERTY"), found);
        var malformed = assertThrows(StatusRuntimeException.class,
                () -> client.ingest(ALICE, id, null, IngestFormat.INGEST_FORMAT_JSON, "[{\"formula\": \"Si\"", 4));
        assertEquals(RejectionCode.REJECTION_CODE_MALFORMED,
                CatalogClient.rejected(malformed).getRejections(0).getCode());
        assertEquals(2, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
    }

    private static Material.Builder rutile() {
        return Material.newBuilder().setSampleKey("r1").setFormula("TiO2").addExternalIds(ExternalId.newBuilder()
                .setSystem("MP").setId("mp-2657"))
                .setStructure(CrystalStructure.newBuilder().setLattice(Lattice.newBuilder()
                        .setA(Vector3.newBuilder().setX(4.594)).setB(Vector3.newBuilder().setY(4.594))
                        .setC(Vector3.newBuilder().setZ(2.959)))
                        .addSites(Site.newBuilder().setSpecies("Ti").setFractional(Vector3.newBuilder()))
                        .addSites(Site.newBuilder().setSpecies("Ti").setFractional(Vector3.newBuilder().setX(0.5)
                                .setY(0.5).setZ(0.5)))
                        .addSites(Site.newBuilder().setSpecies("O").setFractional(Vector3.newBuilder().setX(0.3)
                                .setY(0.3)))
                        .addSites(Site.newBuilder().setSpecies("O").setFractional(Vector3.newBuilder().setX(0.7)
                                .setY(0.7)))
                        .setSpaceGroupSymbol("P4_2/mnm").setSpaceGroupNumber(136))
                .addMeasurements(Measurement.newBuilder().setProperty("band_gap")
                        .setValue(Quantity.newBuilder().setValue(3030).setUnit("meV")).setUncertainty(20)
                        .setSource(MeasurementSource.MEASUREMENT_SOURCE_SIMULATION).setMethod("DFT"));
    }

    @Test
    void structuredRecordsCarryStructureAndExternalIds() throws Exception {
        String id = newDataset();
        var result = client.ingestRecords(ALICE, id, List.of(
                RecordBatch.newBuilder().addMaterials(rutile()).build(),
                RecordBatch.newBuilder().addMaterials(Material.newBuilder().setFormula("ZnO")).build()));
        assertEquals(2, result.getRowsWritten());
        var material = client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(
                MaterialQuery.newBuilder().addDatasetIds(id).setFormula("TiO2")).setView(MaterialView.MATERIAL_VIEW_FULL)
                .build()).getMaterials(0);
        assertEquals("mp", material.getExternalIds(0).getSystem());
        assertEquals(4, material.getStructure().getSitesCount());
        assertEquals(4.594, material.getStructure().getLattice().getA().getX(), 1e-12);
        assertEquals(136, material.getStructure().getSpaceGroupNumber());
        assertEquals(0.3, material.getStructure().getSites(2).getFractional().getX(), 1e-12);
        assertEquals(3.03, material.getMeasurements(0).getValue().getValue(), 1e-12);
        assertEquals(MeasurementSource.MEASUREMENT_SOURCE_SIMULATION, material.getMeasurements(0).getSource());
        var summary = client.as(ALICE).getMaterial(GetMaterialRequest.newBuilder().setId(material.getId()).build());
        assertTrue(summary.hasStructure(), "a material read alone is the full view");

        var flat = rutile().setSampleKey("r2");
        flat.getStructureBuilder().getLatticeBuilder().setC(Vector3.newBuilder().setX(1));
        var foreign = rutile().setSampleKey("r3");
        foreign.getStructureBuilder().getSitesBuilder(0).setSpecies("Fe");
        var wrong = rutile().setSampleKey("r4");
        wrong.getStructureBuilder().getSitesBuilder(1).setOccupancy(1.5);
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingestRecords(ALICE, id, List.of(
                RecordBatch.newBuilder().addMaterials(flat).addMaterials(foreign).addMaterials(wrong).build())));
        List<String> found = CatalogClient.rejected(error).getRejectionsList().stream()
                .map(r -> r.getRow() + ":" + r.getColumn() + ":" + r.getCode()).toList();
        assertEquals(List.of("1:structure.lattice:REJECTION_CODE_INVALID_VALUE",
                "2:structure.sites[0].species:REJECTION_CODE_INVALID_VALUE",
                "3:structure.sites[1].occupancy:REJECTION_CODE_INVALID_VALUE"), found);
        assertEquals(2, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
    }

    @Test
    void exportKeepsOnlyTheAskedPropertiesAndSources() throws Exception {
        String id = newDataset();
        client.ingestCsv(ALICE, id, null, """
                sample_id,formula,band_gap [eV],density [g/cm3],source
                a,Si,1.12,2.33,experiment
                b,Ge,,5.32,experiment
                c,GaAs,1.42,,simulation
                """, 64);
        StringBuilder csv = new StringBuilder();
        client.as(ALICE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(id).addProperties("band_gap")
                .build()).forEachRemaining(message -> csv.append(message.getData().toStringUtf8()));
        List<String> lines = csv.toString().lines().toList();
        // a source other than experiment is exported (in its column), so the CSV reads back as it was
        assertEquals("sample_id,formula,tags,source,band_gap [eV],band_gap_uncertainty", lines.get(0));
        assertEquals(3, lines.size(), "Ge has no band gap: " + lines);
        assertTrue(lines.contains("c,GaAs,,simulation,1.42,"), lines.toString());
        StringBuilder experiments = new StringBuilder();
        client.as(ALICE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(id).addProperties("band_gap")
                .addSources(MeasurementSource.MEASUREMENT_SOURCE_EXPERIMENT).setFormat(ExportFormat.EXPORT_FORMAT_JSONL)
                .build()).forEachRemaining(message -> experiments.append(message.getData().toStringUtf8()));
        assertEquals(1, experiments.toString().lines().count());
        assertTrue(experiments.toString().contains("\"Si\"") && !experiments.toString().contains("density"));
        var unknown = assertThrows(StatusRuntimeException.class, () -> client.as(ALICE).exportDataset(
                ExportDatasetRequest.newBuilder().setDatasetId(id).addProperties("shine").build()).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("properties[0]"), unknown.getMessage());
    }

    @Test
    void exportStreamsTheDatasetAsItWasAtAVersion() throws Exception {
        String id = newDataset();
        client.ingestCsv(ALICE, id, null, "sample_id,formula,band_gap [meV]\na,Si,1120\nb,GaAs,1420\n", 16);
        client.ingestCsv(ALICE, id, null, "sample_id,formula,density [g/cm3]\nc,Ge,5.32\n", 16);
        StringBuilder csv = new StringBuilder();
        long[] summary = {-1};
        client.as(DAVE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(id).build())
                .forEachRemaining(message -> {
                    if (message.hasData()) {
                        csv.append(message.getData().toStringUtf8());
                    } else if (message.hasSummary()) {
                        summary[0] = message.getSummary().getMaterialCount();
                    }
                });
        assertEquals(3, summary[0]);
        List<String> lines = csv.toString().lines().toList();
        assertEquals("sample_id,formula,tags,band_gap [eV],band_gap_uncertainty,density [g/cm3],density_uncertainty",
                lines.get(0));
        assertTrue(lines.contains("a,Si,,1.12,,,"), lines.toString());
        assertEquals(4, lines.size());

        var jsonl = new StringBuilder();
        client.as(ALICE).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(id)
                .setFormat(ExportFormat.EXPORT_FORMAT_JSONL).setAsOfVersion(2).build())
                .forEachRemaining(message -> jsonl.append(message.getData().toStringUtf8()));
        assertEquals(2, jsonl.toString().lines().count(), "version 2 holds the first upload only");

        var future = assertThrows(StatusRuntimeException.class, () -> client.as(ALICE).exportDataset(
                ExportDatasetRequest.newBuilder().setDatasetId(id).setAsOfVersion(9).build()).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, future.getStatus().getCode());
        var hidden = assertThrows(StatusRuntimeException.class, () -> client.as(CatalogClient.token("bob", "kansai-u",
                "member")).exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(id).build()).hasNext());
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
    }

    @Test
    void everyBadRowIsReportedWithRowColumnAndPosition() throws Exception {
        String id = newDataset();
        String csv = """
                sample_id,formula,band_gap [eV]
                a,Fe2O3,2.1
                b,FeXx2,1.0
                c,Fe2(O3,abc
                a,NaCl,
                d,,1
                """;
        IngestRejected rejected = rejectedIngest(id, csv);
        assertEquals(4, rejected.getRowsRejected());
        assertEquals(5, rejected.getRowsReceived());
        List<String> found = rejected.getRejectionsList().stream()
                .map(r -> r.getRow() + ":" + r.getColumn() + ":" + r.getCode() + (r.hasPosition() ? "@" + r.getPosition()
                        : "")).toList();
        assertEquals(List.of("2:formula:REJECTION_CODE_UNKNOWN_ELEMENT@2", "3:band_gap [eV]:REJECTION_CODE_BAD_NUMBER",
                "3:formula:REJECTION_CODE_BAD_FORMULA@3", "4:sample_id:REJECTION_CODE_DUPLICATE_KEY",
                "5:formula:REJECTION_CODE_MISSING_VALUE"), found);
        RowRejection unknown = rejected.getRejections(0);
        assertEquals("FeXx2", unknown.getValue());
        assertTrue(unknown.getReason().contains("unknown element 'Xx'"), unknown.getReason());
    }

    @Test
    void documentProblemsAreReportedBeforeAnyRow() throws Exception {
        String id = newDataset();
        assertEquals(RejectionCode.REJECTION_CODE_INCOMPATIBLE_UNIT,
                rejectedIngest(id, "formula,band_gap [MPa]\nFe,1\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_INCOMPATIBLE_UNIT,
                rejectedIngest(id, "formula,band_gap [furlong]\nFe,1\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_MISSING_COLUMN,
                rejectedIngest(id, "composition,band_gap [eV]\nFe,1\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_UNKNOWN_COLUMN,
                rejectedIngest(id, "formula,colour\nFe,red\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_UNKNOWN_PROPERTY,
                rejectedIngest(id, "formula,shininess [1]\nFe,1\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_UNKNOWN_COLUMN,
                rejectedIngest(id, "formula,band_gap\nFe,1\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_EMPTY_DOCUMENT, rejectedIngest(id, "").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_EMPTY_DOCUMENT,
                rejectedIngest(id, "formula,band_gap [eV]\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_MALFORMED,
                rejectedIngest(id, "formula,band_gap [eV]\nFe,1,2\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_MALFORMED,
                rejectedIngest(id, "formula,band_gap [eV]\n\"Fe,1\n").getRejections(0).getCode());
        assertEquals(RejectionCode.REJECTION_CODE_VALUE_TOO_LARGE,
                rejectedIngest(id, "formula,tags\nFe," + "x".repeat(70_000) + "\n").getRejections(0).getCode());
    }

    @Test
    void oneBadRowAtTheEndOfALargeDocumentLeavesNothing() throws Exception {
        String id = newDataset();
        StringBuilder csv = new StringBuilder("sample_id,formula,band_gap [eV]\n");
        for (int i = 0; i < 100_000; i++) {
            csv.append("k").append(i).append(",Fe").append(1 + i % 5).append("O3,").append(i % 7).append('\n');
        }
        csv.append("last,Qq2O,1\n");
        var error = assertThrows(StatusRuntimeException.class,
                () -> client.ingestCsv(ALICE, id, null, csv.toString(), 64 * 1024));
        IngestRejected rejected = CatalogClient.rejected(error);
        assertEquals(100_001, rejected.getRowsReceived());
        assertEquals(100_001, rejected.getRejections(0).getRow());
        assertEquals(0, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
        assertEquals(0, count("SELECT count(*) FROM measurement WHERE dataset_id = ?::uuid", id));
        assertEquals(1, client.as(ALICE).getDataset(GetDatasetRequest.newBuilder().setId(id).build()).getVersion());
    }

    /**
     * Past the segment threshold (1000 materials in tests), an ingest writes the rest to a segment
     * of its own and attaches it when it commits: its materials are found as any others, through
     * the segment's own indexes. A later upload repeating a key the dataset has, past the threshold,
     * is refused on that row and leaves neither rows nor a segment behind.
     */
    @Test
    void aLargeIngestGetsASegmentOfItsOwnAndRefusesKeysTheDatasetHas() throws Exception {
        String segments = "SELECT count(*) FROM pg_inherits WHERE inhparent = 'material'::regclass AND ?::text <> ''";
        String id = newDataset();
        long before = count(segments, id);
        StringBuilder csv = new StringBuilder("sample_id,formula,band_gap [eV]\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("s").append(i).append(",Ho").append(1 + i % 4).append("Er").append(1 + i % 3).append(',')
                    .append(i / 1000.0).append('\n');
        }
        var result = client.ingestCsv(ALICE, id, null, csv.toString(), 32 * 1024);
        assertEquals(3000, result.getRowsWritten());
        assertEquals(before + 1, count(segments, id), "one new segment");
        assertEquals(2000, count("SELECT count(*) FROM material m JOIN pg_class c ON c.oid = m.tableoid "
                + "WHERE m.dataset_id = ?::uuid AND c.relname <> 'material_segment_0'", id));
        assertEquals(2000, count("SELECT count(*) FROM measurement x JOIN pg_class c ON c.oid = x.tableoid "
                + "WHERE x.dataset_id = ?::uuid AND c.relname <> 'measurement_segment_0'", id));
        var found = client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(
                MaterialQuery.newBuilder().addDatasetIds(id).setFormula("Ho4Er3"))
                .setPage(org.mihub.api.common.v1.PageRequest.newBuilder().setPageSize(500)).build());
        assertEquals(250, found.getMaterialsCount(), "every 12th row is Ho4Er3");
        assertTrue(found.getMaterialsList().stream().anyMatch(m -> m.getSampleKey().equals("s2999")),
                "a material of the segment is found by formula");

        StringBuilder again = new StringBuilder("sample_id,formula\n");
        for (int i = 0; i < 1500; i++) {
            again.append(i == 1400 ? "s2500" : "t" + i).append(",Fe2O3\n");
        }
        var refused = assertThrows(StatusRuntimeException.class,
                () -> client.ingestCsv(ALICE, id, null, again.toString(), 16 * 1024));
        RowRejection duplicate = CatalogClient.rejected(refused).getRejections(0);
        assertEquals(RejectionCode.REJECTION_CODE_DUPLICATE_KEY, duplicate.getCode());
        assertEquals(1401, duplicate.getRow());
        assertEquals(3000, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
        assertEquals(before + 1, count(segments, id), "the refused upload left no segment");
    }

    @Test
    void aRetriedUploadIsANoOpAndAReusedKeyIsRefused() throws Exception {
        String id = newDataset();
        String csv = "formula,band_gap [eV]\nSi,1.12\nGaAs,1.42\n";
        var first = client.ingestCsv(ALICE, id, "upload-1", csv, 16);
        var retry = client.ingestCsv(ALICE, id, "upload-1", csv, 3);
        assertEquals(IngestOutcome.INGEST_OUTCOME_REPLAYED, retry.getOutcome());
        assertEquals(first.getIngestId(), retry.getIngestId());
        assertEquals(2, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
        var reused = assertThrows(StatusRuntimeException.class,
                () -> client.ingestCsv(ALICE, id, "upload-1", csv + "Ge,0.66\n", 16));
        assertEquals(Status.Code.FAILED_PRECONDITION, reused.getStatus().getCode());
        client.ingestCsv(ALICE, id, null, "sample_id,formula\ny,Si\n", 16);
        var againY = assertThrows(StatusRuntimeException.class,
                () -> client.ingestCsv(ALICE, id, null, "sample_id,formula\ny,Ge\n", 16));
        assertEquals(RejectionCode.REJECTION_CODE_DUPLICATE_KEY,
                CatalogClient.rejected(againY).getRejections(0).getCode());
    }

    @Test
    void onlyContributorsOfTheOwnerOrgMayIngest() {
        String id = newDataset();
        var member = assertThrows(StatusRuntimeException.class,
                () -> client.ingestCsv(DAVE, id, null, "formula\nFe\n", 16));
        assertEquals(Status.Code.PERMISSION_DENIED, member.getStatus().getCode());
        var outsider = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(
                CatalogClient.token("bob", "kansai-u", "member", "contributor"), id, null, "formula\nFe\n", 16));
        assertEquals(Status.Code.NOT_FOUND, outsider.getStatus().getCode());
    }
}

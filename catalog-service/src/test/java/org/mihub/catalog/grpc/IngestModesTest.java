package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.DeprecatePropertyRequest;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestMode;
import org.mihub.api.catalog.v1.IngestOutcome;
import org.mihub.api.catalog.v1.ListIngestsRequest;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.RejectionCode;
import org.mihub.api.catalog.v1.RowRejection;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.common.testing.PostgresResource;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The three ingest modes on PostgreSQL (strict, skip-invalid, dry run) with bad rows at the start, in
 * the middle and at the end; repeated keys skipped; a column the vocabulary lacks named with close
 * matches; deuterium and zero amounts in formulas; values outside a property's possible range.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestModesTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");

    /** Ten rows: bad at 1 (unknown element), 5 (not a number), 10 (a band gap below 0 eV). */
    static final String TEN_ROWS = """
            sample_id,formula,band_gap [eV],density [g/cm3]
            r1,Xx2O3,1.0,5
            r2,Fe2O3,2.1,5.2
            r3,ZnO,3.3,5.6
            r4,GaN,3.4,6.1
            r5,GaAs,one,5.3
            r6,Si,1.1,2.3
            r7,Ge,0.67,5.3
            r8,InP,1.34,4.8
            r9,CdTe,1.5,5.9
            r10,AlN,-0.5,3.3
            """;

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
        return client.as(ALICE).createDataset(CreateDatasetRequest.newBuilder().setTitle("modes")
                .setLicence("CC-BY-4.0").build()).getId();
    }

    private static IngestHeader.Builder header(String dataset, IngestMode mode) {
        return IngestHeader.newBuilder().setDatasetId(dataset).setFormat(IngestFormat.INGEST_FORMAT_CSV).setMode(mode);
    }

    private long count(String sql, String dataset) throws SQLException {
        try (var connection = dataSource.getConnection(); var select = connection.prepareStatement(sql)) {
            select.setString(1, dataset);
            var rows = select.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> where(List<RowRejection> problems) {
        return problems.stream().map(p -> p.getRow() + ":" + p.getColumn() + ":" + p.getCode()).toList();
    }

    @Test
    void strictWritesNothingAndNamesEveryBadRow() throws Exception {
        String id = newDataset();
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE,
                header(id, IngestMode.INGEST_MODE_STRICT).build(), TEN_ROWS));
        var rejected = CatalogClient.rejected(error);
        assertEquals(List.of("1:formula:REJECTION_CODE_UNKNOWN_ELEMENT", "5:band_gap [eV]:REJECTION_CODE_BAD_NUMBER",
                "10:band_gap [eV]:REJECTION_CODE_BAD_NUMBER"), where(rejected.getRejectionsList()));
        assertTrue(rejected.getRejections(2).getReason().contains("possible range of 'band_gap' (at least 0 eV)"),
                rejected.getRejections(2).getReason());
        assertEquals(0, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
        var byDefault = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE, IngestHeader.newBuilder()
                .setDatasetId(id).setFormat(IngestFormat.INGEST_FORMAT_CSV).build(), TEN_ROWS));
        assertEquals(Status.Code.INVALID_ARGUMENT, byDefault.getStatus().getCode(), "strict is the default");
    }

    @Test
    void skipInvalidWritesTheValidRowsAndRecordsWhatItSkipped() throws Exception {
        String id = newDataset();
        var result = client.ingest(ALICE, header(id, IngestMode.INGEST_MODE_SKIP_INVALID).build(), TEN_ROWS);
        assertEquals(IngestOutcome.INGEST_OUTCOME_COMMITTED, result.getOutcome());
        assertEquals(IngestMode.INGEST_MODE_SKIP_INVALID, result.getMode());
        assertEquals(10, result.getRowsReceived());
        assertEquals(7, result.getRowsWritten());
        assertEquals(14, result.getMeasurementsWritten());
        assertEquals(3, result.getRowsSkipped());
        assertEquals(List.of("1:formula:REJECTION_CODE_UNKNOWN_ELEMENT", "5:band_gap [eV]:REJECTION_CODE_BAD_NUMBER",
                "10:band_gap [eV]:REJECTION_CODE_BAD_NUMBER"), where(result.getSkippedList()));
        assertEquals(7, client.as(ALICE).getDataset(GetDatasetRequest.newBuilder().setId(id).build()).getRowCount());
        assertEquals(0, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid AND sample_key IN "
                + "('r1', 'r5', 'r10')", id));
        assertEquals(3, count("SELECT rows_skipped FROM ingest WHERE dataset_id = ?::uuid AND mode = 'skip-invalid'", id));
        assertEquals(3, count("SELECT jsonb_array_length(skipped) FROM ingest WHERE dataset_id = ?::uuid", id));
        assertEquals(1, count("SELECT count(*) FROM ingest WHERE dataset_id = ?::uuid AND skipped @> "
                + "'[{\"row\": 5, \"column\": \"band_gap [eV]\", \"code\": \"bad_number\"}]'", id));
    }

    @Test
    void theIngestHistoryTellsTheOwnerWhatWasSkippedAndWhyAndNobodyElse() throws Exception {
        String id = newDataset();
        client.ingest(ALICE, header(id, IngestMode.INGEST_MODE_SKIP_INVALID).setSourceName("ten.csv").build(), TEN_ROWS);
        client.ingest(ALICE, header(id, IngestMode.INGEST_MODE_STRICT).build(), "sample_id,formula\nr11,Fe\n");
        var history = client.as(ALICE).listIngests(ListIngestsRequest.newBuilder().setDatasetId(id).build());
        assertEquals(2, history.getIngestsCount());
        var strict = history.getIngests(0);
        var skipping = history.getIngests(1);
        assertEquals(IngestMode.INGEST_MODE_STRICT, strict.getMode(), "newest first");
        assertEquals(1, strict.getRowsWritten());
        assertEquals(IngestMode.INGEST_MODE_SKIP_INVALID, skipping.getMode());
        assertEquals("ten.csv", skipping.getSourceName());
        assertEquals(7, skipping.getRowsWritten());
        assertEquals(3, skipping.getRowsSkipped());
        assertEquals(List.of("1:formula:REJECTION_CODE_UNKNOWN_ELEMENT", "5:band_gap [eV]:REJECTION_CODE_BAD_NUMBER",
                "10:band_gap [eV]:REJECTION_CODE_BAD_NUMBER"), where(skipping.getSkippedList()));
        assertTrue(skipping.getSkipped(0).getReason().contains("Xx"), skipping.getSkipped(0).getReason());
        assertEquals(skipping.getDatasetVersion() + 1, strict.getDatasetVersion());

        var first = client.as(ALICE).listIngests(ListIngestsRequest.newBuilder().setDatasetId(id)
                .setPage(PageRequest.newBuilder().setPageSize(1)).build());
        assertEquals(strict.getIngestId(), first.getIngests(0).getIngestId());
        var second = client.as(ALICE).listIngests(ListIngestsRequest.newBuilder().setDatasetId(id)
                .setPage(PageRequest.newBuilder().setPageSize(1).setPageToken(first.getPageInfo().getNextPageToken()))
                .build());
        assertEquals(skipping.getIngestId(), second.getIngests(0).getIngestId());
        assertEquals("", second.getPageInfo().getNextPageToken());

        // another organisation does not see the dataset at all; a bad page token is a field error
        var other = assertThrows(StatusRuntimeException.class, () -> client.as(CatalogClient.token("bob", "kansai-u",
                "member", "contributor")).listIngests(ListIngestsRequest.newBuilder().setDatasetId(id).build()));
        assertEquals(Status.Code.NOT_FOUND, other.getStatus().getCode());
        // a reader of a consortium dataset sees its rows, not the owner's ingest history
        client.as(ALICE).updateDatasetSharing(UpdateDatasetSharingRequest.newBuilder().setDatasetId(id)
                .setVisibility(Visibility.CONSORTIUM).build());
        var reader = assertThrows(StatusRuntimeException.class, () -> client.as(CatalogClient.token("bob", "kansai-u",
                "member", "contributor")).listIngests(ListIngestsRequest.newBuilder().setDatasetId(id).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, reader.getStatus().getCode());
        var badToken = assertThrows(StatusRuntimeException.class, () -> client.as(ALICE).listIngests(
                ListIngestsRequest.newBuilder().setDatasetId(id).setPage(PageRequest.newBuilder().setPageToken("zz"))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badToken.getStatus().getCode());
    }

    @Test
    void aDryRunValidatesEverythingWritesNothingAndSaysWhatItWouldUse() throws Exception {
        String id = newDataset();
        var dry = client.ingest(ALICE, header(id, IngestMode.INGEST_MODE_SKIP_INVALID).setDryRun(true).build(),
                TEN_ROWS);
        assertEquals(IngestOutcome.INGEST_OUTCOME_VALIDATED, dry.getOutcome());
        assertEquals(0, dry.getRowsWritten());
        assertEquals(3, dry.getRowsSkipped());
        assertEquals(List.of("band_gap", "density"), dry.getPropertiesList().stream().map(p -> p.getProperty())
                .toList());
        assertEquals(List.of("eV"), dry.getProperties(0).getUnitsList());
        assertEquals("eV", dry.getProperties(0).getCanonicalUnit());
        assertEquals(7, dry.getProperties(0).getMeasurements());
        assertEquals(1, client.as(ALICE).getDataset(GetDatasetRequest.newBuilder().setId(id).build()).getVersion());
        assertEquals(0, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid", id));
        assertEquals(0, count("SELECT count(*) FROM ingest WHERE dataset_id = ?::uuid", id));

        var strictDry = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE,
                header(id, IngestMode.INGEST_MODE_STRICT).setDryRun(true).build(), TEN_ROWS));
        assertEquals(3, CatalogClient.rejected(strictDry).getRowsRejected(), "a strict dry run refuses as strict does");
    }

    @Test
    void skipInvalidSkipsRepeatedAndExistingKeysAndRefusesADocumentWithoutAValidRow() throws Exception {
        String id = newDataset();
        client.ingestCsv(ALICE, id, null, "sample_id,formula\nold,Fe\n", 64);
        var result = client.ingest(ALICE, header(id, IngestMode.INGEST_MODE_SKIP_INVALID).build(),
                "sample_id,formula,band_gap [eV]\na,Si,1.1\nold,Ge,0.7\nb,GaAs,1.4\na,InP,1.3\n");
        assertEquals(2, result.getRowsWritten());
        assertEquals(2, result.getMeasurementsWritten());
        assertEquals(List.of("2:sample_id:REJECTION_CODE_DUPLICATE_KEY", "4:sample_id:REJECTION_CODE_DUPLICATE_KEY"),
                where(result.getSkippedList()));
        assertEquals(2, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid AND sample_key IN ('a', 'b')",
                id));
        assertEquals(1, count("SELECT count(*) FROM material WHERE dataset_id = ?::uuid AND sample_key = 'a' "
                + "AND formula = 'Si'", id), "the first row of a repeated key is kept");
        assertEquals(3, client.as(ALICE).getDataset(GetDatasetRequest.newBuilder().setId(id).build()).getRowCount());

        var none = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE,
                header(id, IngestMode.INGEST_MODE_SKIP_INVALID).build(), "formula\nXx\nQq2\n"));
        assertEquals(2, CatalogClient.rejected(none).getRowsRejected());
        var header = assertThrows(StatusRuntimeException.class, () -> client.ingest(ALICE,
                header(id, IngestMode.INGEST_MODE_SKIP_INVALID).build(), "formula,tc_onset_x [K]\nFe,3\n"));
        assertEquals(RejectionCode.REJECTION_CODE_UNKNOWN_PROPERTY, CatalogClient.rejected(header).getRejections(0)
                .getCode(), "a problem of the header refuses the document in either mode");
    }

    @Test
    void aColumnTheVocabularyLacksIsNamedWithCloseMatchesAndHowToAddIt() throws Exception {
        String id = newDataset();
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, id, null,
                "formula,band_gab [eV],curie_temp [K]\nFe,1,1043\n", 64));
        var rejections = CatalogClient.rejected(error).getRejectionsList();
        assertEquals("band_gab [eV]", rejections.get(0).getColumn());
        assertTrue(rejections.get(0).getReason().contains("close matches: band_gap"), rejections.get(0).getReason());
        assertTrue(rejections.get(0).getReason().contains("POST /api/v1/properties"));
        assertEquals("curie_temp [K]", rejections.get(1).getColumn());
        assertTrue(rejections.get(1).getReason().contains("curie_temperature"), rejections.get(1).getReason());
    }

    @Test
    void isotopesAreHydrogenKeptAsWrittenAndAZeroAmountIsLeftOutWithAWarning() throws Exception {
        String id = newDataset();
        var result = client.ingest(ALICE, header(id, IngestMode.INGEST_MODE_STRICT).build(),
                "sample_id,formula\nheavy,D2O\nhts,Ba0Cu1O2\ntrit,LiT\n");
        assertEquals(3, result.getRowsWritten());
        assertEquals(1, result.getWarningsCount());
        assertEquals(2, result.getWarnings(0).getRow());
        assertEquals("formula", result.getWarnings(0).getColumn());
        assertEquals(2, result.getWarnings(0).getPosition());
        assertTrue(result.getWarnings(0).getReason().contains("'Ba' with amount 0"));
        var heavy = client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(MaterialQuery
                .newBuilder().addDatasetIds(id).setFormula("H2O")).build());
        assertEquals(1, heavy.getMaterialsCount(), "D2O is found as H2O");
        var water = client.as(ALICE).getMaterial(GetMaterialRequest.newBuilder()
                .setId(heavy.getMaterials(0).getId()).build());
        assertEquals("D2O", water.getFormula(), "the isotope label is kept");
        assertEquals(Map.of("H", 2.0, "O", 1.0), water.getCompositionMap());
        assertEquals(List.of("Cu", "O"), client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder()
                .setQuery(MaterialQuery.newBuilder().addDatasetIds(id).setFormula("CuO2")).build()).getMaterials(0)
                .getElementsList().stream().sorted().toList());
        var other = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, id, null,
                "formula\nBa(Cu\n", 64));
        assertEquals(2, CatalogClient.rejected(other).getRejections(0).getPosition(), "other refusals keep positions");
    }

    @Test
    void aDeprecatedPropertyTakesNoNewValues() throws Exception {
        client.as(ALICE).createProperty(CreatePropertyRequest.newBuilder().setProperty(PropertyDefinition.newBuilder()
                .setName("old_gap_m").setDisplayName("old").setCanonicalUnit("eV").setQuantityKind("energy")).build());
        String id = newDataset();
        client.ingestCsv(ALICE, id, null, "formula,old_gap_m [eV]\nSi,1.1\n", 64);
        client.as(ALICE).deprecateProperty(DeprecatePropertyRequest.newBuilder().setName("old_gap_m")
                .setReason("use band_gap").build());
        var error = assertThrows(StatusRuntimeException.class, () -> client.ingestCsv(ALICE, id, null,
                "formula,old_gap_m [eV]\nGe,0.7\n", 64));
        var rejection = CatalogClient.rejected(error).getRejections(0);
        assertTrue(rejection.getReason().contains("deprecated") && rejection.getReason().contains("use band_gap"),
                rejection.getReason());
        assertFalse(client.as(ALICE).searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(MaterialQuery
                .newBuilder().addDatasetIds(id).addProperties(org.mihub.api.catalog.v1.PropertyFilter.newBuilder()
                        .setProperty("old_gap_m"))).build()).getMaterialsList().isEmpty(), "its values stay searchable");
    }
}

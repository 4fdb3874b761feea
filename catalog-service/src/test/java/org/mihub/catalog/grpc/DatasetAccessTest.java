package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.AccessOperation;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.DeleteDatasetRequest;
import org.mihub.api.catalog.v1.Embargo;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.GetUsageSummaryRequest;
import org.mihub.api.catalog.v1.ListAccessLogRequest;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.DerivedRead;
import org.mihub.api.catalog.v1.RecordDerivedReadsRequest;
import org.mihub.api.catalog.v1.UpdateDatasetSharingRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.common.testing.PostgresResource;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The visibility matrix over gRPC: datasets of acme at each visibility, read by callers of acme,
 * kansai-u and hub with different roles and by an anonymous caller; sharing, deletion and embargo.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetAccessTest {

    static final String ACME_CONTRIBUTOR = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final String ACME_MEMBER = CatalogClient.token("dave", "acme", "member");
    static final String KANSAI_MEMBER = CatalogClient.token("bob", "kansai-u", "member", "contributor");
    static final String HUB_MEMBER = CatalogClient.token("hanna", "hub", "member");
    static final String HUB_ADMIN = CatalogClient.token("carol", "hub", "member", "admin");

    @Inject
    DataSource dataSource;

    private CatalogClient client;
    private final Map<Visibility, String> ids = new LinkedHashMap<>();

    @BeforeAll
    void createOneDatasetPerVisibility() {
        client = new CatalogClient();
        for (Visibility visibility : List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.CONSORTIUM,
                Visibility.PUBLIC)) {
            var request = CreateDatasetRequest.newBuilder().setTitle("matrix " + visibility).setLicence("CC-BY-4.0")
                    .setVisibility(visibility);
            if (visibility == Visibility.SHARED) {
                request.addSharedWith("kansai-u");
            }
            ids.put(visibility, client.as(ACME_CONTRIBUTOR).createDataset(request.build()).getId());
        }
    }

    @AfterAll
    void close() {
        client.close();
    }

    private Set<Visibility> visibleTo(String token) {
        Set<Visibility> visible = ids.entrySet().stream().filter(entry -> {
            try {
                client.as(token).getDataset(GetDatasetRequest.newBuilder().setId(entry.getValue()).build());
                return true;
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "hidden must look missing");
                return false;
            }
        }).map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> listed = client.as(token).listDatasets(ListDatasetsRequest.newBuilder()
                .setPage(PageRequest.newBuilder().setPageSize(200)).build()).getDatasetsList().stream()
                .map(org.mihub.api.catalog.v1.Dataset::getId).collect(Collectors.toSet());
        Set<Visibility> listedOfMatrix = ids.entrySet().stream().filter(entry -> listed.contains(entry.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(visible, listedOfMatrix, "get and list must agree");
        return visible;
    }

    @Test
    void visibilityMatrix() {
        Set<Visibility> all = Set.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.CONSORTIUM, Visibility.PUBLIC);
        assertEquals(all, visibleTo(ACME_CONTRIBUTOR));
        assertEquals(all, visibleTo(ACME_MEMBER));
        assertEquals(Set.of(Visibility.SHARED, Visibility.CONSORTIUM, Visibility.PUBLIC), visibleTo(KANSAI_MEMBER));
        assertEquals(Set.of(Visibility.CONSORTIUM, Visibility.PUBLIC), visibleTo(HUB_MEMBER));
        assertEquals(all, visibleTo(HUB_ADMIN));
        assertEquals(Set.of(Visibility.PUBLIC), visibleTo(null));
    }

    @Test
    void writesNeedTheRightRoleInTheOwnerOrg() {
        var denied = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_MEMBER).createDataset(
                CreateDatasetRequest.newBuilder().setTitle("t").setLicence("MIT").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());

        var foreignOwner = assertThrows(StatusRuntimeException.class, () -> client.as(KANSAI_MEMBER).createDataset(
                CreateDatasetRequest.newBuilder().setOwnerOrg("acme").setTitle("t").setLicence("MIT").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, foreignOwner.getStatus().getCode());

        var anonymous = assertThrows(StatusRuntimeException.class, () -> client.as(null).createDataset(
                CreateDatasetRequest.newBuilder().setTitle("t").setLicence("MIT").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());

        var share = UpdateDatasetSharingRequest.newBuilder().setDatasetId(ids.get(Visibility.CONSORTIUM))
                .setVisibility(Visibility.PUBLIC).build();
        var notCurator = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_MEMBER)
                .updateDatasetSharing(share));
        assertEquals(Status.Code.PERMISSION_DENIED, notCurator.getStatus().getCode());
        var otherOrg = assertThrows(StatusRuntimeException.class, () -> client.as(KANSAI_MEMBER)
                .updateDatasetSharing(share));
        assertEquals(Status.Code.PERMISSION_DENIED, otherOrg.getStatus().getCode());
        var hidden = assertThrows(StatusRuntimeException.class, () -> client.as(KANSAI_MEMBER)
                .deleteDataset(DeleteDatasetRequest.newBuilder().setId(ids.get(Visibility.PRIVATE)).build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
    }

    @Test
    void badInputNamesEveryField() {
        var error = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_CONTRIBUTOR).createDataset(
                CreateDatasetRequest.newBuilder().setLicence("not a licence!").setVisibility(Visibility.SHARED)
                        .addSharedWith("Not An Org").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
        assertEquals(List.of("title", "licence", "shared_with[0]"), violatedFields(error));

        var badId = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_MEMBER).listDatasets(
                ListDatasetsRequest.newBuilder().addIds(ids.get(Visibility.PUBLIC)).addIds("not-a-uuid").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badId.getStatus().getCode());
        assertEquals(List.of("ids[1]"), violatedFields(badId));

        // a visibility number the contract does not name is refused, not taken for the default
        var unknownVisibility = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_CONTRIBUTOR)
                .createDataset(CreateDatasetRequest.newBuilder().setTitle("seventy-seven").setLicence("CC-BY-4.0")
                        .setVisibilityValue(77).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknownVisibility.getStatus().getCode());
        assertEquals(List.of("visibility"), violatedFields(unknownVisibility));

        var everyone = CreateDatasetRequest.newBuilder().setTitle("shared with a crowd").setLicence("CC-BY-4.0")
                .setVisibility(Visibility.SHARED);
        for (int i = 0; i < 20_000; i++) {
            everyone.addSharedWith("org-" + i);
        }
        var crowd = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_CONTRIBUTOR)
                .createDataset(everyone.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, crowd.getStatus().getCode());
        assertEquals(List.of("shared_with"), violatedFields(crowd), "one violation, not 20 000");
        var twice = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_CONTRIBUTOR).createDataset(
                CreateDatasetRequest.newBuilder().setTitle("twice").setLicence("CC-BY-4.0")
                        .setVisibility(Visibility.SHARED).addSharedWith("kansai-u").addSharedWith("kansai-u").build()));
        assertEquals(List.of("shared_with[1]"), violatedFields(twice));

        var negativePage = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_MEMBER).listDatasets(
                ListDatasetsRequest.newBuilder().setPage(org.mihub.api.common.v1.PageRequest.newBuilder()
                        .setPageSize(-1)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, negativePage.getStatus().getCode());
        assertEquals(List.of("page.page_size"), violatedFields(negativePage));
    }

    private static List<String> violatedFields(StatusRuntimeException error) {
        return StatusProto.fromThrowable(error).getDetailsList().stream()
                .filter(detail -> detail.is(BadRequest.class)).flatMap(detail -> {
                    try {
                        return detail.unpack(BadRequest.class).getFieldViolationsList().stream();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).map(BadRequest.FieldViolation::getField).toList();
    }

    @Test
    void curatorSharesAndDeletesWithAnAuditTrail() throws SQLException {
        String id = client.as(ACME_CONTRIBUTOR).createDataset(CreateDatasetRequest.newBuilder().setTitle("to share")
                .setLicence("CC0-1.0").build()).getId();
        var get = GetDatasetRequest.newBuilder().setId(id).build();
        assertThrows(StatusRuntimeException.class, () -> client.as(HUB_MEMBER).getDataset(get));
        var shared = client.as(ACME_CONTRIBUTOR).updateDatasetSharing(UpdateDatasetSharingRequest.newBuilder()
                .setDatasetId(id).setVisibility(Visibility.SHARED).addSharedWith("hub").build());
        assertEquals(Visibility.SHARED, shared.getVisibility());
        assertEquals("to share", client.as(HUB_MEMBER).getDataset(get).getTitle());

        client.as(ACME_CONTRIBUTOR).deleteDataset(DeleteDatasetRequest.newBuilder().setId(id).setReason("test").build());
        var gone = assertThrows(StatusRuntimeException.class, () -> client.as(ACME_CONTRIBUTOR).getDataset(get));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        try (var connection = dataSource.getConnection();
                var audit = connection.prepareStatement("SELECT action FROM dataset_audit WHERE dataset_id = ?::uuid "
                        + "ORDER BY id")) {
            audit.setString(1, id);
            var rows = audit.executeQuery();
            List<String> actions = new java.util.ArrayList<>();
            while (rows.next()) {
                actions.add(rows.getString(1));
            }
            assertEquals(List.of("create", "sharing", "delete"), actions);
        }
    }

    @Test
    void anEmbargoLiftsWithNobodyActing() throws InterruptedException {
        long until = System.currentTimeMillis() / 1000 + 2;
        String id = client.as(ACME_CONTRIBUTOR).createDataset(CreateDatasetRequest.newBuilder().setTitle("embargoed")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.PRIVATE).setEmbargo(Embargo.newBuilder()
                        .setUntil(Timestamp.newBuilder().setSeconds(until)).setLiftsTo(Visibility.PUBLIC))
                .build()).getId();
        var get = GetDatasetRequest.newBuilder().setId(id).build();
        assertThrows(StatusRuntimeException.class, () -> client.as(null).getDataset(get));
        Thread.sleep(Math.max(0, until * 1000 - System.currentTimeMillis() + 500));
        var lifted = client.as(null).getDataset(get);
        assertEquals(Visibility.PUBLIC, lifted.getVisibility());
        assertTrue(!lifted.hasEmbargo());
    }

    /**
     * A service that hands out records through a derived artifact reports the read as the caller:
     * another organisation's reads reach the owner's log as DERIVED with their count, the owner's
     * own reads are not logged, a dataset the caller may not see is NOT_FOUND and nothing of the
     * request is written, and bad input is named by position.
     */
    /** A dataset of acme with 20 materials. */
    private String datasetWithRows(Visibility visibility) throws Exception {
        var request = CreateDatasetRequest.newBuilder().setTitle("derived " + visibility).setLicence("CC-BY-4.0")
                .setVisibility(visibility);
        if (visibility == Visibility.SHARED) {
            request.addSharedWith("kansai-u");
        }
        String id = client.as(ACME_CONTRIBUTOR).createDataset(request.build()).getId();
        StringBuilder csv = new StringBuilder("formula,band_gap [eV]\n");
        for (int i = 1; i <= 20; i++) {
            csv.append("Fe").append(i).append("O,1.0\n");
        }
        client.ingestCsv(ACME_CONTRIBUTOR, id, null, csv.toString(), 1024);
        return id;
    }

    @Test
    void readsThroughDerivedArtifactsAreLoggedAsTheCaller() throws Exception {
        String consortium = datasetWithRows(Visibility.CONSORTIUM);
        String shared = datasetWithRows(Visibility.SHARED);
        var logged = client.as(KANSAI_MEMBER).recordDerivedReads(RecordDerivedReadsRequest.newBuilder()
                .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(12))
                .addReads(DerivedRead.newBuilder().setDatasetId(shared).setRecords(3))
                .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(5)).build());
        assertEquals(2, logged.getLogged());
        var log = client.as(ACME_MEMBER).listAccessLog(ListAccessLogRequest.newBuilder().setDatasetId(consortium)
                .build());
        assertTrue(log.getEntriesList().stream().anyMatch(entry -> entry.getReader().getOrg().equals("kansai-u")
                && entry.getOperation() == AccessOperation.ACCESS_OPERATION_DERIVED && entry.getRecordCount() == 17),
                log.toString());
        assertEquals(0, client.as(ACME_MEMBER).recordDerivedReads(RecordDerivedReadsRequest.newBuilder()
                .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(1)).build()).getLogged(),
                "the owner's own reads are not logged");

        int before = client.as(ACME_MEMBER).listAccessLog(ListAccessLogRequest.newBuilder().setDatasetId(consortium)
                .build()).getEntriesCount();
        var hidden = assertThrows(StatusRuntimeException.class, () -> client.as(HUB_MEMBER).recordDerivedReads(
                RecordDerivedReadsRequest.newBuilder()
                        .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(1))
                        .addReads(DerivedRead.newBuilder().setDatasetId(shared).setRecords(1)).build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode(), "hub does not see the SHARED dataset");
        assertEquals(before, client.as(ACME_MEMBER).listAccessLog(ListAccessLogRequest.newBuilder()
                .setDatasetId(consortium).build()).getEntriesCount(), "nothing of a refused request is written");

        var bad = assertThrows(StatusRuntimeException.class, () -> client.as(KANSAI_MEMBER).recordDerivedReads(
                RecordDerivedReadsRequest.newBuilder()
                        .addReads(DerivedRead.newBuilder().setDatasetId("nope").setRecords(1))
                        .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(0)).build()));
        assertEquals(List.of("reads[0].dataset_id", "reads[1].records"), violatedFields(bad));
        var tooMany = assertThrows(StatusRuntimeException.class, () -> client.as(KANSAI_MEMBER).recordDerivedReads(
                RecordDerivedReadsRequest.newBuilder()
                        .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(15))
                        .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(Long.MAX_VALUE)).build()));
        assertEquals(List.of("reads"), violatedFields(tooMany), "more records than the dataset holds");
        assertEquals(before, client.as(ACME_MEMBER).listAccessLog(ListAccessLogRequest.newBuilder()
                .setDatasetId(consortium).build()).getEntriesCount());
        var anonymous = assertThrows(StatusRuntimeException.class, () -> client.as(null).recordDerivedReads(
                RecordDerivedReadsRequest.newBuilder()
                        .addReads(DerivedRead.newBuilder().setDatasetId(consortium).setRecords(1)).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
    }

    @Test
    void aReadForAnotherNodeKeepsTheRequestingNodeInTheAccessLog() {
        String id = ids.get(Visibility.CONSORTIUM);
        var forNode = new io.grpc.Metadata();
        forNode.put(io.grpc.Metadata.Key.of("mihub-requesting-node", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "kansai-u");
        client.as(KANSAI_MEMBER).withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(forNode))
                .getDataset(GetDatasetRequest.newBuilder().setId(id).build());
        var notANode = new io.grpc.Metadata();
        notANode.put(io.grpc.Metadata.Key.of("mihub-requesting-node", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "Not A Node; DROP TABLE");
        client.as(HUB_MEMBER).withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(notANode))
                .getDataset(GetDatasetRequest.newBuilder().setId(id).build());
        var log = client.as(ACME_MEMBER).listAccessLog(ListAccessLogRequest.newBuilder().setDatasetId(id).build());
        var kansai = log.getEntriesList().stream().filter(entry -> entry.getReader().getOrg().equals("kansai-u"))
                .findFirst().orElseThrow();
        assertEquals("kansai-u", kansai.getRequestingNode());
        var hub = log.getEntriesList().stream().filter(entry -> entry.getReader().getOrg().equals("hub"))
                .findFirst().orElseThrow();
        assertEquals("", hub.getRequestingNode(), "a value that is not a node id is ignored");
    }

    @Test
    void readsByOtherOrgsAreLogged() throws SQLException {
        String id = ids.get(Visibility.CONSORTIUM);
        client.as(HUB_MEMBER).getDataset(GetDatasetRequest.newBuilder().setId(id).build());
        client.as(ACME_MEMBER).getDataset(GetDatasetRequest.newBuilder().setId(id).build());
        try (var connection = dataSource.getConnection();
                var log = connection.prepareStatement("SELECT reader_org, reader_subject, owner_org, operation "
                        + "FROM access_log WHERE dataset_id = ?::uuid")) {
            log.setString(1, id);
            var rows = log.executeQuery();
            List<String> entries = new java.util.ArrayList<>();
            while (rows.next()) {
                entries.add(rows.getString(1) + "/" + rows.getString(2) + "/" + rows.getString(3) + "/"
                        + rows.getString(4));
            }
            assertTrue(entries.contains("hub/hanna/acme/get"), entries.toString());
            assertTrue(entries.stream().noneMatch(entry -> entry.startsWith("acme/")), entries.toString());
        }
        var log = client.as(ACME_MEMBER).listAccessLog(ListAccessLogRequest.newBuilder().setDatasetId(id).build());
        assertTrue(log.getEntriesList().stream().anyMatch(entry -> entry.getReader().getOrg().equals("hub")
                && entry.getOperation() == AccessOperation.ACCESS_OPERATION_GET), log.toString());
        var notOwner = assertThrows(StatusRuntimeException.class, () -> client.as(KANSAI_MEMBER)
                .listAccessLog(ListAccessLogRequest.newBuilder().setDatasetId(id).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, notOwner.getStatus().getCode());

        var provided = client.as(ACME_MEMBER).getUsageSummary(GetUsageSummaryRequest.getDefaultInstance());
        assertEquals("acme", provided.getOrg());
        assertTrue(provided.getProvidedList().stream().anyMatch(entry -> entry.getReaderOrg().equals("hub")
                && entry.getDatasetId().equals(id)), provided.toString());
        var consumed = client.as(HUB_MEMBER).getUsageSummary(GetUsageSummaryRequest.getDefaultInstance());
        assertTrue(consumed.getConsumedList().stream().anyMatch(entry -> entry.getOwnerOrg().equals("acme")),
                consumed.toString());
        var otherOrg = assertThrows(StatusRuntimeException.class, () -> client.as(HUB_MEMBER)
                .getUsageSummary(GetUsageSummaryRequest.newBuilder().setOrg("acme").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, otherOrg.getStatus().getCode());
    }
}

package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.ElementFilter;
import org.mihub.api.catalog.v1.ElementMatch;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.GetDatasetRequest;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.ListAccessLogRequest;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.PropertyFilter;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
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
 * The whole visibility matrix over gRPC: one acme dataset per visibility (SHARED with kansai-u),
 * each with one material, read by every role (member, contributor, curator, admin) of each of the
 * three organisations and by an anonymous caller, on every read path: get and list datasets,
 * search by dataset, by tag text, by element set and by property range (the index-only path),
 * get a material, export, and the access log. What the caller may not see is NOT_FOUND or simply
 * absent, never a hint.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisibilityMatrixTest {

    private static final String OWNER = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    private static final List<String> ORGS = List.of("acme", "kansai-u", "hub");
    private static final List<String> ROLES = List.of("member", "contributor", "curator", "admin");
    /** A band-gap window no other test uses, so range searches find the matrix materials only. */
    private static final double LOW = 9.871;

    private CatalogClient client;
    private final Map<Visibility, String> datasets = new EnumMap<>(Visibility.class);
    private final Map<Visibility, String> materials = new EnumMap<>(Visibility.class);

    @BeforeAll
    void createOneDatasetPerVisibility() throws InterruptedException {
        client = new CatalogClient();
        int i = 0;
        for (Visibility visibility : List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.CONSORTIUM,
                Visibility.PUBLIC)) {
            var request = CreateDatasetRequest.newBuilder().setTitle("vm " + visibility).setLicence("CC-BY-4.0")
                    .setVisibility(visibility);
            if (visibility == Visibility.SHARED) {
                request.addSharedWith("kansai-u");
            }
            String id = client.as(OWNER).createDataset(request.build()).getId();
            datasets.put(visibility, id);
            client.ingestCsv(OWNER, id, null, "formula,band_gap [eV],tags\nTm2Lu" + (i + 1) + ","
                    + (LOW + i * 0.001) + ",vm-matrix\n", 1024);
            materials.put(visibility, client.as(OWNER).searchMaterials(SearchMaterialsRequest.newBuilder()
                    .setQuery(MaterialQuery.newBuilder().addDatasetIds(id)).build()).getMaterials(0).getId());
            i++;
        }
    }

    @AfterAll
    void close() {
        client.close();
    }

    static Stream<Arguments> callers() {
        List<Arguments> callers = new ArrayList<>();
        for (String org : ORGS) {
            for (String role : ROLES) {
                callers.add(Arguments.of(org, role));
            }
        }
        callers.add(Arguments.of(null, null));
        return callers.stream();
    }

    /** The rule: PRIVATE to the owner, SHARED also to kansai-u, CONSORTIUM to members, PUBLIC to all; admins all. */
    private static Set<Visibility> expected(String org, String role) {
        if (org == null) {
            return EnumSet.of(Visibility.PUBLIC);
        }
        if ("admin".equals(role) || "acme".equals(org)) {
            return EnumSet.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.CONSORTIUM, Visibility.PUBLIC);
        }
        if ("kansai-u".equals(org)) {
            return EnumSet.of(Visibility.SHARED, Visibility.CONSORTIUM, Visibility.PUBLIC);
        }
        return EnumSet.of(Visibility.CONSORTIUM, Visibility.PUBLIC);
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("callers")
    void everyReadPathShowsExactlyWhatTheRuleAllows(String org, String role) {
        String token = org == null ? null : CatalogClient.token(role + "-of-" + org, org, "member", role);
        Set<Visibility> expected = expected(org, role);
        var stub = client.as(token);

        assertEquals(expected, found(visibility -> stub.getDataset(GetDatasetRequest.newBuilder()
                .setId(datasets.get(visibility)).build())), "GetDataset");
        Set<String> listed = stub.listDatasets(ListDatasetsRequest.newBuilder().setText("vm ")
                .setPage(PageRequest.newBuilder().setPageSize(200)).build()).getDatasetsList().stream()
                .map(Dataset::getId).collect(Collectors.toSet());
        assertEquals(expected, of(datasets, listed), "ListDatasets");
        Set<String> byId = stub.listDatasets(ListDatasetsRequest.newBuilder().addAllIds(datasets.values())
                .addIds(java.util.UUID.randomUUID().toString()).build()).getDatasetsList().stream()
                .map(Dataset::getId).collect(Collectors.toSet());
        assertEquals(expected, of(datasets, byId), "ListDatasets by ids");
        assertEquals(expected.size(), byId.size(), "an unknown id is absent");

        assertEquals(expected, found(visibility -> {
            var page = stub.searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(MaterialQuery.newBuilder()
                    .addDatasetIds(datasets.get(visibility))).build());
            if (page.getMaterialsCount() == 0) {
                throw new StatusRuntimeException(Status.NOT_FOUND);
            }
            return page;
        }), "SearchMaterials by dataset");
        assertEquals(expected, searched(stub, MaterialQuery.newBuilder().setText("vm-matrix")), "search by text");
        assertEquals(expected, searched(stub, MaterialQuery.newBuilder().setElements(ElementFilter.newBuilder()
                .addElements("Tm").addElements("Lu").setMatch(ElementMatch.ELEMENT_MATCH_EXACTLY))),
                "search by elements");
        assertEquals(expected, searched(stub, MaterialQuery.newBuilder().addProperties(PropertyFilter.newBuilder()
                .setProperty("band_gap").setMin(LOW - 0.0005).setMax(LOW + 0.0035))), "search by property range");

        assertEquals(expected, found(visibility -> stub.getMaterial(GetMaterialRequest.newBuilder()
                .setId(materials.get(visibility)).build())), "GetMaterial");
        assertEquals(expected, found(visibility -> {
            var export = stub.exportDataset(ExportDatasetRequest.newBuilder().setDatasetId(datasets.get(visibility))
                    .setFormat(ExportFormat.EXPORT_FORMAT_JSONL).build());
            StringBuilder data = new StringBuilder();
            export.forEachRemaining(message -> data.append(message.getData().toStringUtf8()));
            assertTrue(data.toString().contains(materials.get(visibility)), "the export carries the material");
            return data;
        }), "ExportDataset");

        if (token != null) {
            for (Visibility visibility : Visibility.values()) {
                if (!datasets.containsKey(visibility)) {
                    continue;
                }
                Status.Code code = code(() -> stub.listAccessLog(ListAccessLogRequest.newBuilder()
                        .setDatasetId(datasets.get(visibility)).build()));
                Status.Code wanted = !expected.contains(visibility) ? Status.Code.NOT_FOUND
                        : "acme".equals(org) || "admin".equals(role) ? Status.Code.OK : Status.Code.PERMISSION_DENIED;
                assertEquals(wanted, code, "ListAccessLog of the " + visibility + " dataset");
            }
        }
    }

    private Set<Visibility> searched(CatalogServiceGrpc.CatalogServiceBlockingStub stub,
            MaterialQuery.Builder query) {
        Set<String> ids = stub.searchMaterials(SearchMaterialsRequest.newBuilder().setQuery(query)
                .setPage(PageRequest.newBuilder().setPageSize(100)).build()).getMaterialsList().stream()
                .map(Material::getId).collect(Collectors.toSet());
        return of(materials, ids);
    }

    private static Set<Visibility> of(Map<Visibility, String> byVisibility, Set<String> ids) {
        Set<Visibility> visible = EnumSet.noneOf(Visibility.class);
        byVisibility.forEach((visibility, id) -> {
            if (ids.contains(id)) {
                visible.add(visibility);
            }
        });
        return visible;
    }

    /** The visibilities for which the read succeeds; a refusal must be NOT_FOUND, nothing else. */
    private Set<Visibility> found(Function<Visibility, Object> read) {
        Set<Visibility> visible = EnumSet.noneOf(Visibility.class);
        for (Visibility visibility : datasets.keySet()) {
            try {
                read.apply(visibility);
                visible.add(visibility);
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "hidden must look missing: " + e);
            }
        }
        return visible;
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } catch (RuntimeException e) {
            fail(e);
            return null;
        }
    }
}

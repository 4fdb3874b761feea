package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CountElementsRequest;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.ElementFilter;
import org.mihub.api.catalog.v1.ElementMatch;
import org.mihub.api.catalog.v1.GetMaterialRequest;
import org.mihub.api.catalog.v1.IntRange;
import org.mihub.api.catalog.v1.ListPropertiesRequest;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.PropertyFilter;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.catalog.v1.SortBy;
import org.mihub.api.catalog.v1.SortField;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.Visibility;
import org.mihub.common.testing.PostgresResource;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Material search: element sets, counts, formulas, property ranges in any unit, sorting, paging, visibility. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {

    static final String ACME = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final String KANSAI = CatalogClient.token("bob", "kansai-u", "member", "contributor");

    private CatalogClient client;
    private String shared;
    private String secret;

    @BeforeAll
    void load() throws InterruptedException {
        client = new CatalogClient();
        shared = client.as(ACME).createDataset(CreateDatasetRequest.newBuilder().setTitle("search oxides")
                .setLicence("CC-BY-4.0").setVisibility(Visibility.CONSORTIUM).build()).getId();
        client.ingestCsv(ACME, shared, null, """
                formula,band_gap [eV],density [g/cm3],tags
                Fe2O3,2.1,5.24,srch
                Fe4O6,2.2,,srch
                FeO,,5.74,srch
                ZnO,3.37,5.61,srch
                Fe,,7.87,srch
                CuFeO2,1.5,,srch
                """, 64);
        secret = client.as(KANSAI).createDataset(CreateDatasetRequest.newBuilder().setTitle("search secret")
                .setLicence("CC-BY-4.0").build()).getId();
        client.ingestCsv(KANSAI, secret, null, "formula,band_gap [eV],tags\nFe2O3,2.0,srch\n", 64);
    }

    @AfterAll
    void close() {
        client.close();
    }

    private List<String> formulas(String token, MaterialQuery.Builder query, SortBy... sort) {
        var request = SearchMaterialsRequest.newBuilder().setQuery(query.setText("srch"))
                .setPage(PageRequest.newBuilder().setPageSize(100));
        for (SortBy key : sort) {
            request.addSort(key);
        }
        return client.as(token).searchMaterials(request.build()).getMaterialsList().stream()
                .map(org.mihub.api.catalog.v1.Material::getFormula).toList();
    }

    private static MaterialQuery.Builder elements(ElementMatch match, String... symbols) {
        return MaterialQuery.newBuilder().setElements(ElementFilter.newBuilder().addAllElements(List.of(symbols))
                .setMatch(match));
    }

    @Test
    void elementSets() {
        assertEquals(Set.of("Fe2O3", "Fe4O6", "FeO", "CuFeO2"),
                Set.copyOf(formulas(ACME, elements(ElementMatch.ELEMENT_MATCH_ALL, "Fe", "O"))));
        assertEquals(Set.of("Fe2O3", "Fe4O6", "FeO", "Fe"),
                Set.copyOf(formulas(ACME, elements(ElementMatch.ELEMENT_MATCH_ONLY, "Fe", "O"))));
        assertEquals(Set.of("Fe2O3", "Fe4O6", "FeO"),
                Set.copyOf(formulas(ACME, elements(ElementMatch.ELEMENT_MATCH_EXACTLY, "O", "Fe"))));
        assertEquals(Set.of("ZnO", "CuFeO2"),
                Set.copyOf(formulas(ACME, elements(ElementMatch.ELEMENT_MATCH_ANY, "Zn", "Cu"))));
        assertEquals(Set.of("CuFeO2"), Set.copyOf(formulas(ACME, MaterialQuery.newBuilder()
                .setNelements(IntRange.newBuilder().setMin(3)))));
    }

    @Test
    void formulaMatchesTheReducedFormula() {
        assertEquals(Set.of("Fe2O3", "Fe4O6"), Set.copyOf(formulas(ACME, MaterialQuery.newBuilder().setFormula("Fe6O9"))));
    }

    @Test
    void propertyRangesInAnyCompatibleUnit() {
        var inMilli = MaterialQuery.newBuilder().addProperties(PropertyFilter.newBuilder().setProperty("band_gap")
                .setMin(2000).setMax(3000).setUnit("meV"));
        assertEquals(Set.of("Fe2O3", "Fe4O6"), Set.copyOf(formulas(ACME, inMilli)));
        var density = MaterialQuery.newBuilder().addProperties(PropertyFilter.newBuilder().setProperty("density")
                .setMin(5500).setUnit("kg/m3"));
        assertEquals(Set.of("FeO", "ZnO", "Fe"), Set.copyOf(formulas(ACME, density)));
        var wrongUnit = assertThrows(StatusRuntimeException.class, () -> formulas(ACME, MaterialQuery.newBuilder()
                .addProperties(PropertyFilter.newBuilder().setProperty("band_gap").setMin(1).setUnit("MPa"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, wrongUnit.getStatus().getCode());
        var unknownElement = assertThrows(StatusRuntimeException.class,
                () -> formulas(ACME, elements(ElementMatch.ELEMENT_MATCH_ALL, "Fe", "Qq")));
        assertTrue(unknownElement.getStatus().getDescription().contains("elements[1]"));
    }

    @Test
    void sortedByAPropertyAndPagedWithACursor() {
        var bandGaps = MaterialQuery.newBuilder().addProperties(PropertyFilter.newBuilder().setProperty("band_gap"));
        assertEquals(List.of("ZnO", "Fe4O6", "Fe2O3", "CuFeO2"), formulas(ACME, bandGaps, SortBy.newBuilder()
                .setField(SortField.SORT_FIELD_PROPERTY).setProperty("band_gap").setDescending(true).build()));
        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            var page = client.as(ACME).searchMaterials(SearchMaterialsRequest.newBuilder()
                    .setQuery(MaterialQuery.newBuilder().setText("srch"))
                    .addSort(SortBy.newBuilder().setField(SortField.SORT_FIELD_REDUCED_FORMULA))
                    .setPage(PageRequest.newBuilder().setPageSize(4).setPageToken(token)).build());
            page.getMaterialsList().forEach(material -> paged.add(material.getReducedFormula()));
            token = page.getPageInfo().getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(List.of("Fe", "Fe2O3", "Fe2O3", "FeCuO2", "FeO", "ZnO"), paged);
    }

    @Test
    void hiddenMaterialsNeverAppear() {
        Set<String> asAcme = client.as(ACME).searchMaterials(SearchMaterialsRequest.newBuilder()
                .setQuery(MaterialQuery.newBuilder().setText("srch")).build()).getMaterialsList().stream()
                .map(org.mihub.api.catalog.v1.Material::getDatasetId).collect(Collectors.toSet());
        assertEquals(Set.of(shared), asAcme);
        var kansaiMaterial = client.as(KANSAI).searchMaterials(SearchMaterialsRequest.newBuilder()
                .setQuery(MaterialQuery.newBuilder().addDatasetIds(secret)).build()).getMaterials(0);
        var hidden = assertThrows(StatusRuntimeException.class, () -> client.as(ACME)
                .getMaterial(GetMaterialRequest.newBuilder().setId(kansaiMaterial.getId()).build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
        var full = client.as(KANSAI).getMaterial(GetMaterialRequest.newBuilder().setId(kansaiMaterial.getId()).build());
        assertEquals(2.0, full.getMeasurements(0).getValue().getValue(), 1e-12);
        assertEquals("eV", full.getMeasurements(0).getValue().getUnit());
        assertEquals(0.4, full.getAtomicFractionsOrThrow("Fe"), 1e-12);
        var anonymous = client.as(null).searchMaterials(SearchMaterialsRequest.newBuilder()
                .setQuery(MaterialQuery.newBuilder().setText("srch")).build());
        assertEquals(0, anonymous.getMaterialsCount());
    }

    @Test
    void elementCountsFollowTheReadRule() throws InterruptedException {
        // other tests of this database may have stored promethium compounds (the shared Matbench set has some)
        long kansaiBefore = counts(KANSAI).getOrDefault("Pm", 0L);
        long acmeBefore = counts(ACME).getOrDefault("Pm", 0L);
        long anonymousBefore = counts(null).getOrDefault("Pm", 0L);
        String promethium = client.as(KANSAI).createDataset(CreateDatasetRequest.newBuilder().setTitle("search Pm")
                .setLicence("CC-BY-4.0").build()).getId();
        client.ingestCsv(KANSAI, promethium, null, "formula,tags\nPmCl3,srch\nPm2O3,srch\n", 64);
        Map<String, Long> kansai = counts(KANSAI);
        assertEquals(kansaiBefore + 2, kansai.get("Pm"), kansai.toString());
        assertEquals(acmeBefore, counts(ACME).getOrDefault("Pm", 0L),
                "a private dataset of another organisation is not counted");
        assertEquals(anonymousBefore, counts(null).getOrDefault("Pm", 0L), "anonymous callers count PUBLIC data only");
        Map<String, Long> acme = counts(ACME);
        assertTrue(acme.get("Fe") >= 5 && acme.get("Zn") >= 1, acme.toString());
        assertTrue(acme.values().stream().allMatch(count -> count > 0), "elements of no material are left out");
        assertEquals(List.copyOf(new TreeSet<>(acme.keySet())), List.copyOf(acme.keySet()), "by symbol");
    }

    private Map<String, Long> counts(String token) {
        Map<String, Long> counts = new LinkedHashMap<>();
        client.as(token).countElements(CountElementsRequest.getDefaultInstance()).getCountsList()
                .forEach(count -> counts.put(count.getElement(), count.getMaterials()));
        return counts;
    }

    @Test
    void theVocabularySaysWhichPropertiesAreBounded() {
        var properties = client.as(null).listProperties(ListPropertiesRequest.getDefaultInstance()).getPropertiesList();
        var bandGap = properties.stream().filter(p -> p.getName().equals("band_gap")).findFirst().orElseThrow();
        assertTrue(bandGap.hasMinimum() && !bandGap.hasMaximum(), bandGap.toString());
        assertEquals(0, bandGap.getMinimum());
        var formationEnergy = properties.stream().filter(p -> p.getName().equals("formation_energy_per_atom"))
                .findFirst().orElseThrow();
        assertFalse(formationEnergy.hasMinimum() || formationEnergy.hasMaximum(), "either sign: unbounded");
    }
}

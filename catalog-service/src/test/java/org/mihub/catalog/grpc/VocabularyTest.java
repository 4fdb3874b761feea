package org.mihub.catalog.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.catalog.v1.CreatePropertyRequest;
import org.mihub.api.catalog.v1.DeprecatePropertyRequest;
import org.mihub.api.catalog.v1.GetPropertyRequest;
import org.mihub.api.catalog.v1.ListPropertiesRequest;
import org.mihub.api.catalog.v1.PropertyDefinition;
import org.mihub.api.catalog.v1.PropertyValueType;
import org.mihub.api.catalog.v1.UpdatePropertyRequest;
import org.mihub.common.testing.PostgresResource;

import com.google.rpc.BadRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The vocabulary as curators extend it, on PostgreSQL: who may add and change properties, what a
 * definition must say (every refusal naming its field), a name taken with another type or unit, an
 * unknown unit with close matches, labels only added, deprecation instead of deletion.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VocabularyTest {

    static final String ALICE = CatalogClient.token("alice", "acme", "member", "contributor", "curator");
    static final String DAVE = CatalogClient.token("dave", "acme", "member");
    static final String ROBOT = CatalogClient.token("lab-robot", "acme", "contributor");
    static final String FRANK = CatalogClient.token("frank", "kansai-u", "member", "contributor", "curator");
    static final String CAROL = CatalogClient.token("carol", "hub", "admin");

    private CatalogClient client;

    @BeforeAll
    void open() {
        client = new CatalogClient();
    }

    @AfterAll
    void close() {
        client.close();
    }

    private static PropertyDefinition.Builder numeric(String name, String unit, String kind) {
        return PropertyDefinition.newBuilder().setName(name).setDisplayName(name.replace('_', ' '))
                .setCanonicalUnit(unit).setQuantityKind(kind);
    }

    private static CreatePropertyRequest create(PropertyDefinition.Builder property) {
        return CreatePropertyRequest.newBuilder().setProperty(property).build();
    }

    private static StatusRuntimeException refused(Status.Code code, Runnable call) {
        var error = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, error.getStatus().getCode(), error.getStatus().getDescription());
        return error;
    }

    /** The field violations of an INVALID_ARGUMENT, as "field: reason". */
    private static List<String> violations(StatusRuntimeException error) throws Exception {
        for (var detail : StatusProto.fromThrowable(error).getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                return detail.unpack(BadRequest.class).getFieldViolationsList().stream()
                        .map(v -> v.getField() + ": " + v.getDescription()).toList();
            }
        }
        throw new AssertionError("no BadRequest detail in " + error);
    }

    private static void assertNames(StatusRuntimeException error, String field, String... words) throws Exception {
        var found = violations(error);
        assertTrue(found.stream().anyMatch(v -> v.startsWith(field + ": ")
                && List.of(words).stream().allMatch(v::contains)), found.toString());
    }

    @Test
    void theFixedPropertiesAreRowsWithTheirIdsAndJapaneseNames() {
        var bandGap = client.as(null).getProperty(GetPropertyRequest.newBuilder().setName("band_gap").build());
        assertEquals("Band gap", bandGap.getDisplayName());
        assertEquals("バンドギャップ", bandGap.getDisplayNameJa());
        assertEquals(PropertyValueType.PROPERTY_VALUE_TYPE_NUMERIC, bandGap.getValueType());
        assertEquals("eV", bandGap.getCanonicalUnit());
        assertEquals(0, bandGap.getMinimum());
        assertTrue(bandGap.getVersion() >= 1);
        assertFalse(bandGap.getDeprecated());
        var all = client.as(null).listProperties(ListPropertiesRequest.getDefaultInstance()).getPropertiesList();
        assertTrue(all.size() >= 16);
        assertTrue(all.stream().allMatch(p -> !p.getDisplayNameJa().isEmpty() || !p.getAddedBy().startsWith("mihub")));
    }

    @Test
    void aCuratorOfAnyMemberOrAnAdminAddsAPropertyThatEveryoneThenSees() {
        var added = client.as(FRANK).createProperty(create(numeric("tc_onset", "K", "temperature").setMinimum(0)
                .setDisplayNameJa("転移温度 (開始)").setDescription("Onset of the superconducting transition.")));
        assertTrue(added.getCreated());
        assertEquals("frank", added.getProperty().getAddedBy());
        assertEquals("kansai-u", added.getProperty().getAddedByOrg());
        assertEquals(1, added.getProperty().getVersion());
        assertTrue(added.getProperty().hasAddedAt());
        var listed = client.as(null).listProperties(ListPropertiesRequest.newBuilder().setText("tc_onset").build());
        assertEquals(List.of("tc_onset"), listed.getPropertiesList().stream().map(PropertyDefinition::getName).toList());
        assertEquals("転移温度 (開始)", listed.getProperties(0).getDisplayNameJa());
        assertEquals(0, listed.getProperties(0).getMinimum());

        var categorical = client.as(CAROL).createProperty(create(PropertyDefinition.newBuilder()
                .setName("crystal_system_v").setDisplayName("Crystal system")
                .setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL).addAllLabels(List.of("cubic", "hexagonal"))));
        assertEquals(List.of("cubic", "hexagonal"), categorical.getProperty().getLabelsList());
        assertEquals("", categorical.getProperty().getCanonicalUnit());
        var bool = client.as(ALICE).createProperty(create(PropertyDefinition.newBuilder().setName("is_metal_v")
                .setDisplayName("Is a metal").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN)));
        assertEquals(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN, bool.getProperty().getValueType());
    }

    @Test
    void membersContributorsAndAnonymousCallersMayNotChangeTheVocabulary() {
        for (String token : List.of(DAVE, ROBOT)) {
            var error = refused(Status.Code.PERMISSION_DENIED,
                    () -> client.as(token).createProperty(create(numeric("not_allowed", "K", "temperature"))));
            assertTrue(error.getStatus().getDescription().contains("curator"));
            refused(Status.Code.PERMISSION_DENIED, () -> client.as(token).updateProperty(UpdatePropertyRequest
                    .newBuilder().setName("band_gap").setDescription("mine now").build()));
            refused(Status.Code.PERMISSION_DENIED, () -> client.as(token).deprecateProperty(
                    DeprecatePropertyRequest.newBuilder().setName("band_gap").build()));
        }
        refused(Status.Code.UNAUTHENTICATED,
                () -> client.as(null).createProperty(create(numeric("not_allowed", "K", "temperature"))));
        refused(Status.Code.NOT_FOUND, () -> client.as(null).getProperty(
                GetPropertyRequest.newBuilder().setName("not_allowed").build()));
    }

    @Test
    void aNameTakenWithAnotherUnitOrTypeIsAConflictCarryingTheExistingDefinition() throws Exception {
        client.as(ALICE).createProperty(create(numeric("tc_zero", "K", "temperature")));
        var again = client.as(FRANK).createProperty(create(numeric("tc_zero", "K", "temperature")));
        assertFalse(again.getCreated(), "the same definition again is the existing one");
        assertEquals("alice", again.getProperty().getAddedBy());

        for (var other : List.of(numeric("tc_zero", "Cel", "temperature"), PropertyDefinition.newBuilder()
                .setName("tc_zero").setDisplayName("x").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_TEXT))) {
            var error = refused(Status.Code.ALREADY_EXISTS, () -> client.as(FRANK).createProperty(create(other)));
            assertTrue(error.getStatus().getDescription().contains("numeric in K (temperature)"),
                    error.getStatus().getDescription());
            PropertyDefinition existing = null;
            for (var detail : StatusProto.fromThrowable(error).getDetailsList()) {
                if (detail.is(PropertyDefinition.class)) {
                    existing = detail.unpack(PropertyDefinition.class);
                }
            }
            assertEquals("K", existing.getCanonicalUnit());
            assertEquals("alice", existing.getAddedBy());
        }
    }

    @Test
    void anUnknownUnitIsNamedWithCloseMatches() throws Exception {
        var error = refused(Status.Code.INVALID_ARGUMENT,
                () -> client.as(ALICE).createProperty(create(numeric("gap_meV", "mev", "energy"))));
        assertNames(error, "name", "lower snake case");
        assertNames(error, "canonical_unit", "unknown unit 'mev'", "close matches", "meV");
        error = refused(Status.Code.INVALID_ARGUMENT,
                () -> client.as(ALICE).createProperty(create(numeric("density_x", "g/cm^3", "mass density"))));
        assertNames(error, "canonical_unit", "'g/cm^3'", "g/cm3");
    }

    @Test
    void everyOtherBadDefinitionNamesItsField() throws Exception {
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                numeric("gap_two", "K", "energy")))), "quantity_kind", "'energy'", "eV", "'K'");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                numeric("gap_three", "", "")))), "canonical_unit", "required");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                numeric("gap_four", "eV", "energy").setMinimum(2).setMaximum(1)))), "maximum", "below minimum");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                numeric("gap_five", "eV", "energy").setDisplayName("")))), "display_name", "required");
        var categorical = PropertyDefinition.newBuilder().setName("phase_x").setDisplayName("Phase")
                .setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL);
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                categorical.clone()))), "labels", "at least one label");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                categorical.clone().addAllLabels(List.of("fcc", "b,cc"))))), "labels[1]", "no commas");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                categorical.clone().addAllLabels(List.of("fcc", "fcc"))))), "labels[1]", "twice");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                PropertyDefinition.newBuilder().setName("metal_y").setDisplayName("y").setCanonicalUnit("K")
                        .setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN)))), "canonical_unit",
                "only a numeric property");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).createProperty(create(
                PropertyDefinition.newBuilder().setName("metal_z").setDisplayName("z").addLabels("yes")
                        .setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_BOOLEAN)))), "labels",
                "only a categorical property");
    }

    @Test
    void labelsAreOnlyAddedAndEveryChangeBumpsTheVersion() throws Exception {
        client.as(ALICE).createProperty(create(PropertyDefinition.newBuilder().setName("phase_lattice")
                .setDisplayName("Phase").setValueType(PropertyValueType.PROPERTY_VALUE_TYPE_CATEGORICAL)
                .addAllLabels(List.of("fcc", "bcc"))));
        var changed = client.as(FRANK).updateProperty(UpdatePropertyRequest.newBuilder().setName("phase_lattice")
                .addAllAddLabels(List.of("bcc", "hcp")).setDisplayNameJa("相").setDescription("Lattice of the phase.")
                .build());
        assertEquals(List.of("fcc", "bcc", "hcp"), changed.getLabelsList());
        assertEquals("相", changed.getDisplayNameJa());
        assertEquals("Phase", changed.getDisplayName());
        assertEquals(2, changed.getVersion());
        var same = client.as(FRANK).updateProperty(UpdatePropertyRequest.newBuilder().setName("phase_lattice")
                .addAddLabels("fcc").build());
        assertEquals(2, same.getVersion(), "nothing changed, no new version");

        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).updateProperty(UpdatePropertyRequest
                .newBuilder().setName("band_gap").addAddLabels("wide").build())), "add_labels",
                "only a categorical property");
        assertNames(refused(Status.Code.INVALID_ARGUMENT, () -> client.as(ALICE).updateProperty(UpdatePropertyRequest
                .newBuilder().setName("phase_lattice").setDisplayName(" ").build())), "display_name", "required");
        var unknown = refused(Status.Code.NOT_FOUND, () -> client.as(ALICE).updateProperty(UpdatePropertyRequest
                .newBuilder().setName("band_gab").setDescription("x").build()));
        assertTrue(unknown.getStatus().getDescription().contains("close matches: band_gap"),
                unknown.getStatus().getDescription());
        assertTrue(unknown.getStatus().getDescription().contains("POST /api/v1/properties"));
    }

    @Test
    void aPropertyIsDeprecatedNeverDeleted() {
        client.as(ALICE).createProperty(create(numeric("old_hardness", "GPa", "pressure")));
        var deprecated = client.as(CAROL).deprecateProperty(DeprecatePropertyRequest.newBuilder()
                .setName("old_hardness").setReason("replaced by hardness").build());
        assertTrue(deprecated.getDeprecated());
        assertEquals("replaced by hardness", deprecated.getDeprecationReason());
        assertEquals(2, deprecated.getVersion());
        var again = client.as(ALICE).deprecateProperty(DeprecatePropertyRequest.newBuilder()
                .setName("old_hardness").build());
        assertEquals(2, again.getVersion());
        var listed = client.as(null).getProperty(GetPropertyRequest.newBuilder().setName("old_hardness").build());
        assertTrue(listed.getDeprecated(), "still there, flagged");
        assertEquals("GPa", listed.getCanonicalUnit());
    }
}

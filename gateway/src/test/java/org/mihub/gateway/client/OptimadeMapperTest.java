package org.mihub.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mihub.api.catalog.v1.CrystalStructure;
import org.mihub.api.catalog.v1.Lattice;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.Site;
import org.mihub.api.catalog.v1.Vector3;
import org.mihub.api.common.v1.Quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;

class OptimadeMapperTest {

    private static Vector3 vector(double x, double y, double z) {
        return Vector3.newBuilder().setX(x).setY(y).setZ(z).build();
    }

    private static Material.Builder wustite() {
        return Material.newBuilder().setId("0190a3c4-0000-7000-8000-000000000001").setDatasetId("d1")
                .setOwnerOrg("acme").setFormula("Fe0.9O").putComposition("Fe", 0.9).putComposition("O", 1)
                .setReducedFormula("Fe0.9O").addElements("O").addElements("Fe").setNelements(2)
                .putAtomicFractions("Fe", 0.9 / 1.9).putAtomicFractions("O", 1 / 1.9)
                .setCreatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000))
                .addMeasurements(gap(1.0)).addMeasurements(gap(2.0));
    }

    private static Measurement gap(double eV) {
        return Measurement.newBuilder().setProperty("band_gap")
                .setValue(Quantity.newBuilder().setValue(eV).setUnit("eV")).build();
    }

    @Test
    void compositionFieldsFollowTheSpecification() {
        JsonNode attributes = OptimadeMapper.entry(wustite().build()).resource(null, "self").get("attributes");
        assertEquals("[\"Fe\",\"O\"]", attributes.get("elements").toString(), "alphabetical");
        assertEquals(0.9 / 1.9, attributes.get("elements_ratios").get(0).asDouble(), 1e-12);
        assertEquals("Fe9O10", attributes.get("chemical_formula_reduced").asText());
        assertEquals("A10B9", attributes.get("chemical_formula_anonymous").asText());
        assertEquals("Fe0.9O", attributes.get("chemical_formula_descriptive").asText());
        assertEquals("2023-11-14T22:13:20Z", attributes.get("last_modified").asText());
        assertEquals(1.5, attributes.get("_mihub_band_gap").asDouble(), 1e-12, "the mean of the measurements");
        assertTrue(attributes.get("lattice_vectors").isNull());
        assertEquals("[]", attributes.get("structure_features").toString());
    }

    @Test
    void aStructureGivesCartesianPositionsAndPartlyOccupiedSpecies() {
        var structure = CrystalStructure.newBuilder().setLattice(Lattice.newBuilder().setA(vector(4, 0, 0))
                .setB(vector(0, 4, 0)).setC(vector(0, 0, 5)))
                .addSites(Site.newBuilder().setSpecies("Fe").setFractional(vector(0, 0, 0)).setOccupancy(0.9))
                .addSites(Site.newBuilder().setSpecies("O").setFractional(vector(0.5, 0.5, 0.5)));
        JsonNode attributes = OptimadeMapper.entry(wustite().setStructure(structure).build()).resource(null, "self")
                .get("attributes");
        assertEquals("[[0.0,0.0,0.0],[2.0,2.0,2.5]]", attributes.get("cartesian_site_positions").toString());
        assertEquals("[\"Fe_0.9\",\"O\"]", attributes.get("species_at_sites").toString());
        JsonNode iron = attributes.get("species").get(0);
        assertEquals("[\"Fe\",\"vacancy\"]", iron.get("chemical_symbols").toString());
        assertEquals(0.1, iron.get("concentration").get(1).asDouble(), 1e-12);
        assertEquals("[\"disorder\"]", attributes.get("structure_features").toString());
        assertEquals(2, attributes.get("nsites").asInt());
        assertEquals(3, attributes.get("nperiodic_dimensions").asInt());
    }

    @Test
    void responseFieldsSelectAttributesAndNameMissingOnesNull() {
        JsonNode entry = OptimadeMapper.entry(wustite().build()).resource(Set.of("nelements",
                "chemical_formula_hill", "_exmpl_x"), "self");
        List<String> names = new ArrayList<>();
        entry.get("attributes").fieldNames().forEachRemaining(names::add);
        names.sort(null);
        assertEquals(List.of("_exmpl_x", "chemical_formula_hill", "nelements"), names);
        assertTrue(entry.get("attributes").get("chemical_formula_hill").isNull());
        assertEquals("structures", entry.get("type").asText());
    }
}

package org.mihub.prediction.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FeatureNamesTest {

    private static String plain(String name) {
        return FeatureNames.describe(name).plainName();
    }

    @Test
    void statisticsOfElementPropertiesInBothSpellings() {
        assertEquals("mean covalent radius", plain("MagpieData mean CovalentRadius"));
        assertEquals("mean covalent radius", plain("mean_CovalentRadius"));
        assertEquals("mean absolute deviation electronegativity", plain("avg_dev_Electronegativity"));
        assertEquals("minimum melting temperature", plain("MagpieData minimum MeltingT"));
        assertEquals("maximum ground-state volume per atom", plain("MagpieData maximum GSvolume_pa"));
        assertEquals("range ground-state band gap", plain("MagpieData range GSbandgap"));
        assertEquals("mode ground-state magnetic moment", plain("MagpieData mode GSmagmom"));
        assertEquals("mean s valence electrons", plain("mean_NsValence"));
        assertEquals("mean valence electrons", plain("mean_NValence"));
        assertEquals("mean d unfilled states", plain("mean_NdUnfilled"));
        assertEquals("mean unfilled states", plain("MagpieData mean NUnfilled"));
        assertEquals("mean Mendeleev number", plain("mean_MendeleevNumber"));
        assertEquals("mean atomic number", plain("mean_Number"));
        assertEquals("maximum periodic-table column", plain("max_Column"));
        assertEquals("mean space group number", plain("MagpieData mean SpaceGroupNumber"));
        assertEquals("mean first ionization energy", plain("mean_FirstIonizationEnergy"));
        FeatureNames.Described electronegativity = FeatureNames.describe("MagpieData avg_dev Electronegativity");
        assertEquals("electronegativity", electronegativity.property());
        assertEquals("mean absolute deviation", electronegativity.statistic());
    }

    @Test
    void theOtherKindsOfFeature() {
        assertEquals("stoichiometric 2-norm", plain("pnorm_2"));
        assertEquals("stoichiometric 0-norm", plain("0-norm"));
        assertEquals("fraction of d valence electrons", plain("frac_dValence"));
        assertEquals("fraction of s valence electrons", plain("frac s valence electrons"));
        assertEquals("atomic fraction of Fe", plain("frac_Fe"));
        assertEquals("maximum ionic character", plain("max_ionic_char"));
        assertEquals("mean ionic character", plain("avg_ionic_char"));
        assertEquals("compound possible", plain("compound_possible"));
        assertEquals("ionic character", FeatureNames.describe("max_ionic_char").property());
        assertEquals("element fractions", FeatureNames.describe("frac_O").property());
        // a name no rule knows keeps its words and is its own group
        FeatureNames.Described unknown = FeatureNames.describe("band_center");
        assertEquals("band center", unknown.plainName());
        assertEquals("other", unknown.statistic());
    }

    /** Every feature of every featuriser has a plain name of its own, without the code's underscores. */
    @Test
    void everyFeatureOfEveryFeaturiserReads() {
        for (Featuriser featuriser : Featurisers.list()) {
            Set<String> seen = new HashSet<>();
            for (FeatureNames.Described feature : FeatureNames.describe(featuriser.featureNames())) {
                assertFalse(feature.plainName().contains("_"), feature.toString());
                assertFalse(feature.plainName().isBlank(), feature.toString());
                assertFalse(feature.statistic().equals("other"), "no rule for " + feature);
                assertTrue(seen.add(feature.plainName()), "two features read " + feature.plainName());
            }
        }
        // the magpie statistics group into the table's 22 properties and six statistics
        List<FeatureNames.Described> magpie = FeatureNames.describe(Featurisers.get("magpie", "1").featureNames());
        long properties = magpie.stream().filter(f -> Set.of("mean", "mean absolute deviation", "minimum", "maximum",
                "range", "mode").contains(f.statistic())).map(FeatureNames.Described::property).distinct().count();
        assertEquals(22, properties);
    }

    @Test
    void groupsSumPerPropertyAndPerStatisticLargestFirst() {
        List<FeatureNames.Described> features = FeatureNames.describe(List.of("mean_Electronegativity",
                "max_Electronegativity", "mean_Number", "pnorm_2", "max_Number"));
        double[] values = {0.5, -0.2, 0.1, -0.9, 0.05};
        List<FeatureNames.Group> byProperty = FeatureNames.groups(features, values, true);
        assertEquals(List.of("stoichiometry", "electronegativity", "atomic number"),
                byProperty.stream().map(FeatureNames.Group::name).toList());
        Map<String, FeatureNames.Group> named = new java.util.HashMap<>();
        byProperty.forEach(group -> named.put(group.name(), group));
        assertEquals(0.3, named.get("electronegativity").value(), 1e-15);
        assertEquals(2, named.get("electronegativity").features());
        List<FeatureNames.Group> byStatistic = FeatureNames.groups(features, values, false);
        assertEquals(List.of("p-norm", "mean", "maximum"), byStatistic.stream().map(FeatureNames.Group::name).toList());
        assertEquals(-0.15, byStatistic.get(2).value(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> FeatureNames.groups(features, new double[2], true));
    }
}

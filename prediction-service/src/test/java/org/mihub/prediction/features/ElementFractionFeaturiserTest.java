package org.mihub.prediction.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mihub.common.chemistry.FormulaParser;

class ElementFractionFeaturiserTest {

    private final Featuriser featuriser = Featurisers.get("element_fraction", "");

    private double fraction(double[] features, String symbol) {
        return features[featuriser.featureNames().indexOf("frac_" + symbol)];
    }

    @Test
    void aSteelIsItsAtomicFractions() {
        double[] f = featuriser.featurise(FormulaParser.parse("Fe0.62C0.01Ni0.19Co0.15Mo0.02Ti0.01"));
        assertEquals(103, f.length);
        assertEquals("frac_H", featuriser.featureNames().get(0));
        assertEquals("frac_Lr", featuriser.featureNames().get(102));
        assertEquals(0.62, fraction(f, "Fe"), 1e-12);
        assertEquals(0.01, fraction(f, "C"), 1e-12);
        assertEquals(0.15, fraction(f, "Co"), 1e-12);
        assertEquals(1, Arrays.stream(f).sum(), 1e-12);
        assertEquals(6, Arrays.stream(f).filter(value -> value > 0).count());
    }

    @Test
    void amountsAreNormalisedAndHydratesAddUp() {
        double[] f = featuriser.featurise(FormulaParser.parse("CuSO4·5H2O"));
        // Cu 1, S 1, O 9, H 10: 21 atoms
        assertEquals(1 / 21.0, fraction(f, "Cu"), 1e-12);
        assertEquals(9 / 21.0, fraction(f, "O"), 1e-12);
        assertEquals(10 / 21.0, fraction(f, "H"), 1e-12);
        double[] offset = new double[110];
        Arrays.fill(offset, 7);
        featuriser.featurise(FormulaParser.parse("CuSO4·5H2O"), offset, 5);
        assertArrayEquals(f, Arrays.copyOfRange(offset, 5, 108), "written in place from the offset");
        assertEquals(7, offset[4]);
        assertEquals(7, offset[108]);
    }

    @Test
    void elementsBeyondLrAreRefused() {
        var error = assertThrows(FeaturiseException.class, () -> featuriser.featurise(FormulaParser.parse("FeOg")));
        assertEquals("Og", error.element());
    }

    @Test
    void theRegistryResolvesIdsAndVersionsAndNamesWhatExists() {
        assertEquals("magpie", Featurisers.get("", "").name());
        // matminer-v1 was published after 3 and is the newest (the default of new models); 3 stays as it was
        assertEquals("matminer-v1", Featurisers.get("magpie", "").version(), "no version: the newest");
        assertEquals("3", Featurisers.get("magpie", "3").version());
        assertEquals("1", Featurisers.get("magpie", "1").version());
        assertSame(featuriser, Featurisers.get("element_fraction", "1"));
        assertEquals(List.of("magpie/matminer-v1", "magpie/3", "magpie/2", "magpie/1", "element_fraction/1"), Featurisers.list().stream()
                .map(f -> f.name() + "/" + f.version()).toList());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Featurisers.get("soap", ""));
        assertEquals("this service offers magpie versions matminer-v1, 3, 2, 1; element_fraction version 1, not soap",
                unknown.getMessage());
        var version = assertThrows(IllegalArgumentException.class, () -> Featurisers.get("element_fraction", "2"));
        assertTrue(version.getMessage().endsWith("not element_fraction version 2"), version.getMessage());
    }
}

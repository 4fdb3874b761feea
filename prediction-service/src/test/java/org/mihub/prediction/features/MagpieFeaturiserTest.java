package org.mihub.prediction.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mihub.common.chemistry.FormulaParser;

class MagpieFeaturiserTest {

    private final MagpieFeaturiser featuriser = new MagpieFeaturiser("1");

    private double feature(double[] features, String name) {
        return features[featuriser.featureNames().indexOf(name)];
    }

    @Test
    void statisticsOfFe2O3ByHand() {
        double[] f = featuriser.featurise(FormulaParser.parse("Fe2O3"));
        assertEquals(142, f.length);
        assertEquals(142, featuriser.featureNames().size());
        assertEquals(0.4 * 26 + 0.6 * 8, feature(f, "mean_Number"), 1e-12);
        assertEquals(0.4 * 10.8 + 0.6 * 7.2, feature(f, "avg_dev_Number"), 1e-12);
        assertEquals(8, feature(f, "min_Number"));
        assertEquals(26, feature(f, "max_Number"));
        assertEquals(18, feature(f, "range_Number"));
        assertEquals(8, feature(f, "mode_Number"), "O is the most abundant");
        assertEquals(2, feature(f, "pnorm_0"));
        assertEquals(Math.sqrt(0.16 + 0.36), feature(f, "pnorm_2"), 1e-12);
        assertEquals(2 / (0.4 * 8 + 0.6 * 6), feature(f, "frac_sValence"), 1e-12);
        assertEquals(0.4 * 6 / (0.4 * 8 + 0.6 * 6), feature(f, "frac_dValence"), 1e-12);
    }

    @Test
    void versionTwoAddsTheFractionOfEveryElement() {
        MagpieFeaturiser two = new MagpieFeaturiser("2");
        double[] f = two.featurise(FormulaParser.parse("Fe2O3"));
        assertEquals(245, f.length);
        assertArrayEquals(featuriser.featurise(FormulaParser.parse("Fe2O3")), java.util.Arrays.copyOf(f, 142), 0);
        assertEquals(0.4, f[two.featureNames().indexOf("frac_Fe")], 1e-12);
        assertEquals(0.6, f[two.featureNames().indexOf("frac_O")], 1e-12);
        assertEquals(0, f[two.featureNames().indexOf("frac_Ni")]);
        assertEquals(1.0, java.util.Arrays.stream(f, 142, 245).sum(), 1e-12);
    }

    @Test
    void versionThreeAddsTheIonicCompoundAttributes() {
        MagpieFeaturiser three = new MagpieFeaturiser("3");
        assertEquals("3", new MagpieFeaturiser().version(), "the newest version");
        double[] nacl = three.featurise(FormulaParser.parse("NaCl"));
        assertEquals(248, nacl.length);
        assertEquals(248, three.featureNames().size());
        assertArrayEquals(new MagpieFeaturiser("2").featurise(FormulaParser.parse("NaCl")),
                java.util.Arrays.copyOf(nacl, 245), 0);
        // Pauling electronegativities of the element table: Na 0.93, Cl 3.16
        double character = 1 - Math.exp(-0.25 * (3.16 - 0.93) * (3.16 - 0.93));
        assertEquals(1, nacl[three.featureNames().indexOf("compound_possible")]);
        assertEquals(character, nacl[three.featureNames().indexOf("max_ionic_char")], 1e-12);
        assertEquals(2 * 0.5 * 0.5 * character, nacl[three.featureNames().indexOf("avg_ionic_char")], 1e-12);
        double[] iron = three.featurise(FormulaParser.parse("Fe"));
        assertEquals(0, iron[three.featureNames().indexOf("compound_possible")], "a metal alone has no charge to cancel");
        assertEquals(0, iron[three.featureNames().indexOf("max_ionic_char")]);
        assertEquals(0, iron[three.featureNames().indexOf("avg_ionic_char")]);
    }

    @Test
    void chargeBalanceTakesOneCommonStatePerElement() {
        assertEquals(1, balance("Fe2O3"), "Fe3+");
        assertEquals(1, balance("FeO"), "Fe2+");
        assertEquals(0, balance("Fe3O4"), "needs Fe2+ and Fe3+ together: one state per element, as Magpie has it");
        assertEquals(1, balance("CaTiO3"));
        assertEquals(0, balance("Cu2O"), "pymatgen's only common state of Cu is 2+");
        assertEquals(1, balance("SiC"), "Si4+ and C4-");
        assertEquals(0, balance("NaCl2"));
        assertEquals(1, balance("Na0.5Cl0.5"), "amounts need not be whole");
        assertEquals(1, balance("ArNaCl"), "a noble gas is neutral");
        assertEquals(1, balance("(NH4)2SO4"), "N3-, H+, S6+, O2-");
    }

    private static double balance(String formula) {
        var amounts = FormulaParser.parse(formula).amounts();
        String[] symbols = amounts.keySet().toArray(String[]::new);
        double[] values = new double[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            values[i] = amounts.get(symbols[i]);
        }
        return IonicAttributes.chargeBalance(symbols, values);
    }

    @Test
    void aSearchPastItsLimitOfChargeSumsIsUndecided() {
        // elements of several states each: up to 15 partial sums stay open while the search runs
        String[] symbols = {"Ir", "P", "As", "Cl", "Se", "S"};
        double[] amounts = {1, 2, 3, 1, 1, 1};
        assertEquals(1, IonicAttributes.chargeBalance(symbols, amounts, 1000));
        assertEquals(0.5, IonicAttributes.chargeBalance(symbols, amounts, 10), "more than ten sums to follow");
    }

    @Test
    void theSameCompositionWrittenDifferentlyHasTheSameFeatures() {
        assertArrayEquals(featuriser.featurise(FormulaParser.parse("Fe2O3")),
                featuriser.featurise(FormulaParser.parse("O6Fe4")), 1e-12);
    }

    @Test
    void aTieForTheMostAbundantElementTakesTheSmallerValue() {
        double[] f = featuriser.featurise(FormulaParser.parse("NaCl"));
        assertEquals(11, feature(f, "mode_Number"));
    }

    @Test
    void missingElementDataAreImputedAndElementsBeyondTheTableRefused() {
        double[] lr = featuriser.featurise(FormulaParser.parse("Lr"));
        for (double value : lr) {
            assertEquals(true, Double.isFinite(value));
        }
        assertEquals(true, ElementTable.standard().imputedCells() > 0);
        var error = assertThrows(FeaturiseException.class, () -> featuriser.featurise(FormulaParser.parse("Og")));
        assertEquals("Og", error.element());
    }

    @Test
    void everyMatbenchCompositionHasFiniteFeatures() throws IOException {
        Path folder = Path.of("../../shared/data/matbench");
        assumeTrue(Files.isDirectory(folder), "../shared/data/matbench is absent: nothing to featurise");
        for (String file : List.of("matbench_expt_gap.csv", "matbench_steels.csv")) {
            List<String> lines = Files.readAllLines(folder.resolve(file));
            for (String line : lines.subList(1, lines.size())) {
                String composition = line.split(",")[1];
                for (double value : featuriser.featurise(FormulaParser.parse(composition))) {
                    assertEquals(true, Double.isFinite(value), composition);
                }
            }
        }
    }
}

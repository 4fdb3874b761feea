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

package org.mihub.prediction.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.Element;
import org.mihub.common.chemistry.Elements;
import org.mihub.common.chemistry.FormulaParser;

class MatminerMagpieFeaturiserTest {

    /** matminer's Magpie tables as the project received them (see its README); absent on some machines. */
    private static final Path SHARED = Path.of("/work/shared/data/magpie");
    private static final MathContext EXACT = MathContext.DECIMAL128;

    private final Featuriser featuriser = Featurisers.get("magpie", "matminer-v1");

    private double feature(String formula, String name) {
        int index = featuriser.featureNames().indexOf(name);
        assertTrue(index >= 0, name);
        return featuriser.featurise(FormulaParser.parse(formula))[index];
    }

    @Test
    void itHasMatminersLabelsInMatminersOrder() {
        List<String> names = featuriser.featureNames();
        assertEquals(132, names.size());
        assertEquals("MagpieData minimum Number", names.get(0));
        assertEquals("MagpieData mode Number", names.get(5));
        assertEquals("MagpieData minimum MendeleevNumber", names.get(6));
        assertEquals("MagpieData mean CovalentRadius", names.get(6 * 6 + 3));
        assertEquals("MagpieData avg_dev GSmagmom", names.get(20 * 6 + 4));
        assertEquals("MagpieData mode SpaceGroupNumber", names.get(131));
        assertEquals(132, featuriser.featurise(FormulaParser.parse("Fe2O3")).length);
    }

    @Test
    void aSingleElementByHand() {
        assertEquals(26, feature("Fe", "MagpieData mean Number"));
        assertEquals(0, feature("Fe", "MagpieData avg_dev Number"));
        assertEquals(0, feature("Fe", "MagpieData range CovalentRadius"));
        assertEquals(132, feature("Fe", "MagpieData mode CovalentRadius"));
        assertEquals(229, feature("Fe2", "MagpieData mean SpaceGroupNumber"), "the amount does not matter");
        // He has no electronegativity or melting point in the tables: it takes the mean over the 98 (101)
        // elements of Z 1..118 that have one, as matminer imputes.
        assertEquals(1.715102040816327, feature("He", "MagpieData mean Electronegativity"), 1e-12);
        assertEquals(1296.471485148515, feature("He", "MagpieData maximum MeltingT"), 1e-9);
        assertEquals(28, feature("He", "MagpieData minimum CovalentRadius"), "what the table has stays");
    }

    @Test
    void binariesByHand() {
        // Na 166 pm, Cl 102 pm; electronegativity 0.93 and 3.16
        assertEquals(134, feature("NaCl", "MagpieData mean CovalentRadius"), 1e-12);
        assertEquals(32, feature("NaCl", "MagpieData avg_dev CovalentRadius"), 1e-12);
        assertEquals(64, feature("NaCl", "MagpieData range CovalentRadius"), 1e-12);
        assertEquals(102, feature("NaCl", "MagpieData mode CovalentRadius"), "equal amounts: the smaller value");
        assertEquals(2.045, feature("NaCl", "MagpieData mean Electronegativity"), 1e-12);
        // Fe 26, O 8; melting points 1811 and 54.8 K
        assertEquals(15.2, feature("Fe2O3", "MagpieData mean Number"), 1e-12);
        assertEquals((2 * 10.8 + 3 * 7.2) / 5, feature("Fe2O3", "MagpieData avg_dev Number"), 1e-12);
        assertEquals(8, feature("Fe2O3", "MagpieData mode Number"), "O is the most abundant");
        assertEquals((2 * 1811 + 3 * 54.8) / 5, feature("Fe2O3", "MagpieData mean MeltingT"), 1e-9);
        assertArrayEquals(featuriser.featurise(FormulaParser.parse("Fe2O3")),
                featuriser.featurise(FormulaParser.parse("Fe4O6")), 1e-12, "weights are normalised");
    }

    @Test
    void amountsWithinNumpysIsCloseTieAndTheSmallerValueIsTheMode() {
        // Ni (28) is more abundant by 5e-6, within 1e-8 + 1e-5 × 1.000005: a tie, so Fe's 26
        assertEquals(26, feature("FeNi1.000005", "MagpieData mode Number"));
        assertEquals(28, feature("FeNi1.001", "MagpieData mode Number"), "no longer a tie");
    }

    @Test
    void manyElementsByHand() {
        // Ba 215, Ti 160, O 66 pm
        assertEquals((215 + 160 + 3 * 66) / 5.0, feature("BaTiO3", "MagpieData mean CovalentRadius"), 1e-12);
        assertEquals(149, feature("BaTiO3", "MagpieData range CovalentRadius"), 1e-12);
        assertEquals(66, feature("BaTiO3", "MagpieData mode CovalentRadius"));
        double mean = feature("CuSO4·5H2O", "MagpieData mean Number");
        assertEquals((29 + 16 + 9 * 8 + 10 * 1) / 21.0, mean, 1e-12, "the hydrate's water counts");
    }

    @Test
    void everyElementToOganessonIsFeaturisedAsMatminerDoes() {
        assertEquals(112, feature("Cn", "MagpieData mean Number"), "the last line of Number.table");
        // Number.table ends at Cn: matminer gives Nh..Og the mean of 1..112, not their atomic number
        assertEquals(56.5, feature("Og", "MagpieData mean Number"), 1e-12);
        assertEquals(56.5, feature("NhOg", "MagpieData range Number") + 56.5, 1e-12);
        var empty = assertThrows(FeaturiseException.class, () -> featuriser.featurise(Composition.of(Map.of())));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void theRegistryServesItAsTheNewestMagpieAndTheDefault() {
        assertSame(featuriser, Featurisers.get("", ""));
        assertSame(featuriser, Featurisers.get(Featurisers.DEFAULT, null));
        assertEquals("matminer-v1", Featurisers.DEFAULT_VERSION);
        assertTrue(featuriser.missingDataRule().contains("impute_nan=True"), featuriser.missingDataRule());
        assertTrue(featuriser.elementDataSource().contains("matminer"), featuriser.elementDataSource());
    }

    @Test
    void tableLinesAreReadAsPythonsFloatReadsThem() {
        assertEquals(54.8, MatminerMagpieTable.pythonFloat(" 54.8 "));
        assertEquals(1e3, MatminerMagpieTable.pythonFloat("1e3"));
        assertEquals(0.5, MatminerMagpieTable.pythonFloat(".5"));
        assertEquals(1, MatminerMagpieTable.pythonFloat("1."));
        assertEquals(1000, MatminerMagpieTable.pythonFloat("1_000"));
        assertEquals(Double.POSITIVE_INFINITY, MatminerMagpieTable.pythonFloat("inf"));
        for (String missing : List.of("Missing", "", "None", "NA", "Missing[\"NotAvailable\"]", "1.0d", "0x10", "1__0",
                "nan")) {
            assertTrue(Double.isNaN(MatminerMagpieTable.pythonFloat(missing)), missing);
        }
    }

    // ---- against an independent reading of matminer's files --------------------------------------------

    private static void assumeShared() {
        assumeTrue(Files.isDirectory(SHARED), SHARED + " is absent: the comparison with matminer's own table "
                + "files is skipped (the hand-checked values above still run)");
    }

    @Test
    void theShippedTablesAreMatminersFilesUnchanged() throws IOException {
        assumeShared();
        for (String property : MatminerMagpieTable.PROPERTIES) {
            try (InputStream in = getClass().getResourceAsStream("/org/mihub/prediction/features/magpie/" + property
                    + ".table")) {
                assertArrayEquals(Files.readAllBytes(SHARED.resolve(property + ".table")), in.readAllBytes(), property);
            }
        }
    }

    /**
     * Each property's values for Z = 1..118 in exact decimals, read straight from matminer's files: a line
     * that is not a decimal number, or a missing line, is missing and becomes the mean of the others.
     */
    private static List<BigDecimal[]> referenceTable() throws IOException {
        List<BigDecimal[]> table = new ArrayList<>();
        for (String property : MatminerMagpieTable.PROPERTIES) {
            List<String> lines = Files.readAllLines(SHARED.resolve(property + ".table"));
            BigDecimal[] values = new BigDecimal[119];
            BigDecimal sum = BigDecimal.ZERO;
            int count = 0;
            for (int z = 1; z <= 118; z++) {
                if (z <= lines.size()) {
                    try {
                        values[z] = new BigDecimal(lines.get(z - 1).trim());
                        sum = sum.add(values[z]);
                        count++;
                    } catch (NumberFormatException missing) {
                        values[z] = null;
                    }
                }
            }
            BigDecimal mean = sum.divide(BigDecimal.valueOf(count), EXACT);
            for (int z = 1; z <= 118; z++) {
                if (values[z] == null) {
                    values[z] = mean;
                }
            }
            table.add(values);
        }
        return table;
    }

    /** matminer's PropertyStats on exact decimals: the 132 features of a composition. */
    private static double[] reference(List<BigDecimal[]> table, Map<String, Double> amounts) {
        List<Integer> numbers = new ArrayList<>();
        List<BigDecimal> weights = new ArrayList<>();
        double largest = 0;
        for (var entry : amounts.entrySet()) {
            numbers.add(Elements.find(entry.getKey()).orElseThrow().atomicNumber());
            weights.add(new BigDecimal(entry.getValue()));
            largest = Math.max(largest, entry.getValue());
        }
        BigDecimal total = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        double[] out = new double[132];
        int at = 0;
        for (BigDecimal[] values : table) {
            BigDecimal min = null;
            BigDecimal max = null;
            BigDecimal mode = null;
            BigDecimal weighted = BigDecimal.ZERO;
            int i = 0;
            for (var entry : amounts.entrySet()) {
                BigDecimal x = values[numbers.get(i)];
                min = min == null || x.compareTo(min) < 0 ? x : min;
                max = max == null || x.compareTo(max) > 0 ? x : max;
                weighted = weighted.add(weights.get(i).multiply(x));
                // numpy.isclose(w, max(w)): |w - max| <= 1e-8 + 1e-5 * |max|
                if (Math.abs(entry.getValue() - largest) <= 1e-8 + 1e-5 * largest) {
                    mode = mode == null || x.compareTo(mode) < 0 ? x : mode;
                }
                i++;
            }
            BigDecimal mean = weighted.divide(total, EXACT);
            BigDecimal deviation = BigDecimal.ZERO;
            for (i = 0; i < numbers.size(); i++) {
                deviation = deviation.add(weights.get(i).multiply(values[numbers.get(i)].subtract(mean).abs()));
            }
            out[at++] = min.doubleValue();
            out[at++] = max.doubleValue();
            out[at++] = max.subtract(min).doubleValue();
            out[at++] = mean.doubleValue();
            out[at++] = deviation.divide(total, EXACT).doubleValue();
            out[at++] = mode.doubleValue();
        }
        return out;
    }

    private void assertMatches(List<BigDecimal[]> table, Map<String, Double> amounts) {
        double[] expected = reference(table, amounts);
        double[] actual = featuriser.featurise(Composition.of(amounts));
        for (int f = 0; f < expected.length; f++) {
            String name = featuriser.featureNames().get(f);
            assertEquals(expected[f], actual[f], 1e-9, () -> amounts + ": " + name);
        }
    }

    @Test
    void equalsMatminersStatisticsOfMatminersTablesForCompositionsOfEveryElement() throws IOException {
        assumeShared();
        List<BigDecimal[]> table = referenceTable();
        List<Element> elements = Elements.all();
        assertEquals(118, elements.size());
        int compositions = 0;
        for (Element element : elements) {
            assertMatches(table, Map.of(element.symbol(), 1.0));
            assertMatches(table, Map.of(element.symbol(), 3.7));
            compositions += 2;
        }
        for (int i = 0; i < elements.size(); i++) {
            for (String partner : List.of("O", "Fe", "Og")) {
                if (!elements.get(i).symbol().equals(partner)) {
                    Map<String, Double> binary = new LinkedHashMap<>();
                    binary.put(elements.get(i).symbol(), 2.0);
                    binary.put(partner, 3.0);
                    assertMatches(table, binary);
                    binary.put(partner, 2.0);
                    assertMatches(table, binary); // a tie
                    compositions += 2;
                }
            }
        }
        Random random = new Random(26);
        for (int k = 0; k < 3000; k++) {
            Map<String, Double> amounts = new LinkedHashMap<>();
            int size = 2 + random.nextInt(9);
            while (amounts.size() < size) {
                double amount = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0.001 + 9.999 * random.nextDouble();
                amounts.put(elements.get(random.nextInt(elements.size())).symbol(), amount);
            }
            assertMatches(table, amounts);
            compositions++;
        }
        assertTrue(compositions > 3900, compositions + " compositions");
    }

    @Test
    void parsedFormulasMatchToo() throws IOException {
        assumeShared();
        List<BigDecimal[]> table = referenceTable();
        for (String formula : List.of("Fe2O3", "CuSO4·5H2O", "Fe0.62C0.01Ni0.19Co0.15Mo0.02Ti0.01", "(NH4)2SO4",
                "Mg0.5Zn0.5O", "LaB6", "D2O", "CsPbI3", "HeNe", "FrAt", "BkCfEsFmMdNoLr", "RfDbSgBhHsMtDsRgCn")) {
            assertMatches(table, FormulaParser.parse(formula).amounts());
        }
    }
}

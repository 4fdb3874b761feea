package org.mihub.prediction.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.TrainedModel;

/**
 * Models trained with {@code magpie} version 3 before {@code matminer-v1} existed keep predicting exactly as
 * they did: their artifacts, written by {@link FrozenModelFixture} on main 310a49f as the registry stores them
 * ({@link TrainedModel#toBytes()}), are read back here, featurised through {@link Featurisers} with the version
 * they record, as inference does, and must give the recorded features, means, standard deviations and domain
 * distances bit for bit.
 */
class FrozenModelTest {

    private static final String DIR = "/org/mihub/prediction/features/frozen/";

    private static byte[] resource(String name) {
        try (InputStream in = FrozenModelTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, DIR + name + " is missing");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a fixture table: formula, then numbers (Double.toString, so exact). */
    private static List<String[]> table(String name) {
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(resource(name), StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }

    private static double[] numbers(String[] row) {
        return Arrays.stream(row, 1, row.length).mapToDouble(Double::parseDouble).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forest", "boosted"})
    void aMagpieVersion3ModelPredictsBitForBitAsWhenItWasTrained(String algorithm) {
        TrainedModel model = TrainedModel.fromBytes(resource("magpie-v3-" + algorithm + ".artifact"));
        assertEquals("magpie", model.featuriser());
        assertEquals("3", model.featuriserVersion(), "the model records the version that built it");
        Featuriser featuriser = Featurisers.get(model.featuriser(), model.featuriserVersion());
        assertEquals(248, featuriser.featureNames().size());
        assertEquals(model.featureCount(), featuriser.featureNames().size());

        List<String[]> recorded = table("magpie-v3-" + algorithm + ".predictions.tsv");
        List<String[]> features = table("magpie-v3.features.tsv");
        assertEquals(FrozenModelFixture.PROBES.size(), recorded.size());
        double[][] x = new double[recorded.size()][];
        for (int i = 0; i < x.length; i++) {
            String formula = recorded.get(i)[0];
            assertEquals(formula, features.get(i)[0]);
            x[i] = featuriser.featurise(FormulaParser.parse(formula));
            assertArrayEquals(numbers(features.get(i)), x[i], 0.0, "magpie 3 features of " + formula + " changed");
        }
        double[] means = new double[x.length];
        double[] stds = new double[x.length];
        model.regressor().predict(x, means, stds, 2);
        double[] distances = new double[x.length];
        for (int from = 0; from < x.length; from += ApplicabilityDomain.BLOCK) {
            model.domain().distances(x, from, Math.min(x.length, from + ApplicabilityDomain.BLOCK), distances);
        }
        for (int i = 0; i < x.length; i++) {
            double[] expected = numbers(recorded.get(i));
            String formula = recorded.get(i)[0];
            assertEquals(expected[0], means[i], 0.0, "mean of " + formula);
            assertEquals(expected[1], stds[i], 0.0, "std of " + formula);
            assertEquals(expected[2], distances[i], 0.0, "domain distance of " + formula);
        }
    }
}

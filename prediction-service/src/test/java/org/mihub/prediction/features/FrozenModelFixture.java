package org.mihub.prediction.features;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mihub.common.chemistry.FormulaParser;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.GradientBoosting;
import org.mihub.prediction.model.RandomForest;
import org.mihub.prediction.model.Regressor;
import org.mihub.prediction.model.TrainedModel;

/**
 * Writes the frozen models of {@code FrozenModelTest}: a random forest and boosted trees trained on
 * {@code magpie} version 3 features, their artifacts as the registry stores them, and what they
 * predicted (and the features of every probe) when they were made. It was run once, on the
 * featuriser of main 310a49f, before {@code magpie matminer-v1} existed; running it again would
 * only overwrite the evidence, so do not, unless a deliberate format change says why.
 *
 * <p>Not a test: {@code java -cp <test classpath> org.mihub.prediction.features.FrozenModelFixture <dir>}; its
 * output is kept in {@code src/test/resources/org/mihub/prediction/features/frozen/} (the pure classes suffice:
 * {@code -cp target/test-classes:target/classes:../common/target/classes}).
 */
public final class FrozenModelFixture {

    static final String VERSION = "3";
    static final List<String> TRAINING = List.of("FeO", "Fe2O3", "Fe3O4", "CoO", "Co3O4", "NiO", "Ni2O3", "FeCoO3",
            "FeNiO3", "CoNiO3", "Fe2CoO4", "Fe2NiO4", "Co2NiO4", "FeCo2O4", "CoFe2O4", "ZnO", "GaAs", "GaN", "AlN",
            "SiC", "MgO", "CaTiO3", "SrTiO3", "BaTiO3", "LiF", "NaCl", "KCl", "CuSO4·5H2O", "Al2O3", "TiO2", "ZrO2",
            "Cu", "Ni3Al", "Fe0.7Cr0.18Ni0.12", "Bi2Te3", "PbTe", "CdTe", "InP", "Si", "Ge");
    /** Inside and outside the training compositions, with hydrates, fractions and deuterium. */
    static final List<String> PROBES = List.of("Fe2O3", "NiFe2O4", "ZnO", "Mg0.5Zn0.5O", "GaP", "CsPbI3", "Na2SO4·10H2O",
            "D2O", "Fe0.62C0.01Ni0.19Co0.15Mo0.02Ti0.01", "LaB6", "UO2", "Xe", "Pu", "(NH4)2SO4");

    private FrozenModelFixture() {
    }

    /** A smooth target of the composition: nothing the featuriser is asked to learn exactly. */
    static double target(String formula) {
        var amounts = FormulaParser.parse(formula).amounts();
        double total = amounts.values().stream().mapToDouble(Double::doubleValue).sum();
        double oxygen = amounts.getOrDefault("O", 0.0) / total;
        return 1.5 + 3 * oxygen - 0.4 * amounts.size() + 0.1 * formula.length();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Featuriser featuriser = Featurisers.get("magpie", VERSION);
        double[][] x = TRAINING.stream().map(f -> featuriser.featurise(FormulaParser.parse(f))).toArray(double[][]::new);
        double[] y = TRAINING.stream().mapToDouble(FrozenModelFixture::target).toArray();
        ApplicabilityDomain domain = ApplicabilityDomain.fit(x, 3, 0.95, 11);
        Regressor forest = RandomForest.fit(x, y, new RandomForest.Params(40, 0, 1, 0.5, 11), 2);
        Regressor boosted = GradientBoosting.fit(x, y, new GradientBoosting.Params(40, 0.1, 3, 0.8, 2, 3,
                GradientBoosting.Loss.SQUARED_ERROR, 11), 2);
        double[][] probes = PROBES.stream().map(f -> featuriser.featurise(FormulaParser.parse(f)))
                .toArray(double[][]::new);
        for (var model : List.of(new Object[] {"forest", forest}, new Object[] {"boosted", boosted})) {
            String name = (String) model[0];
            Regressor regressor = (Regressor) model[1];
            TrainedModel trained = new TrainedModel("magpie", VERSION, x[0].length, regressor, domain);
            Files.write(dir.resolve("magpie-v3-" + name + ".artifact"), trained.toBytes());
            double[] means = new double[probes.length];
            double[] stds = new double[probes.length];
            regressor.predict(probes, means, stds, 2);
            List<String> lines = new ArrayList<>(List.of("# formula\tmean\tstd\tdomain distance (" + name
                    + ", magpie v3, written by FrozenModelFixture on main 310a49f)"));
            for (int i = 0; i < probes.length; i++) {
                lines.add(PROBES.get(i) + "\t" + means[i] + "\t" + stds[i] + "\t" + domain.distance(probes[i]));
            }
            Files.write(dir.resolve("magpie-v3-" + name + ".predictions.tsv"), lines);
        }
        List<String> features = new ArrayList<>(List.of("# formula, then the " + featuriser.featureNames().size()
                + " features of magpie v3 (written by FrozenModelFixture on main 310a49f)"));
        for (int i = 0; i < probes.length; i++) {
            StringBuilder line = new StringBuilder(PROBES.get(i));
            for (double value : probes[i]) {
                line.append('\t').append(value);
            }
            features.add(line.toString());
        }
        Files.write(dir.resolve("magpie-v3.features.tsv"), features);
    }
}

package org.mihub.prediction.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.mihub.prediction.features.FeatureNames;
import org.mihub.prediction.model.TrainedModel;
import org.mihub.prediction.model.TreeEnsemble;

/**
 * Why a model predicts what it does for one input: the exact TreeSHAP contributions of a tree model
 * ({@link TreeEnsemble#explain}) with the features' plain names ({@link FeatureNames}), and the same
 * summed per element property and per statistic. The expected value plus the contributions is the
 * predicted mean.
 */
public final class Explanations {

    /** The method the contributions come from, as the contract names it. */
    public static final String METHOD = "tree_shap_path_dependent";

    /** What one feature adds to the mean. */
    public record Contribution(int feature, String name, String plainName, double value, double contribution) {
    }

    /**
     * One input's explanation: the expected value, the features with a nonzero contribution (largest
     * magnitude first), and the contributions summed per element property and per statistic.
     */
    public record Explanation(double expectedValue, List<Contribution> contributions,
            List<FeatureNames.Group> byProperty, List<FeatureNames.Group> byStatistic) {
    }

    private Explanations() {
    }

    /** Why a model cannot be explained, or empty when it can. */
    public static Optional<String> unexplainable(TrainedModel model) {
        if (model.regressor().treeEnsemble().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(switch (model.regressor().params().algorithm()) {
            case GAUSSIAN_PROCESS -> "explanations are computed for tree models (random forest, gradient boosting); "
                    + "this model is a Gaussian process";
            default -> "this model's trees were stored before they kept their training covers, which explanations "
                    + "need; train it again to explain its predictions";
        });
    }

    /**
     * The explanations of rows featurised by the model's featuriser, whose feature names are
     * {@code names}; the model must be explainable ({@link #unexplainable}).
     */
    public static List<Explanation> explain(TrainedModel model, List<String> names, double[][] rows, int threads) {
        TreeEnsemble ensemble = model.regressor().treeEnsemble()
                .orElseThrow(() -> new IllegalStateException(unexplainable(model).orElse("not explainable")));
        if (names.size() != ensemble.features()) {
            throw new IllegalStateException("the featuriser names " + names.size() + " features, the model has "
                    + ensemble.features());
        }
        List<FeatureNames.Described> described = FeatureNames.describe(names);
        List<Explanation> out = new ArrayList<>(rows.length);
        for (double[] row : rows) {
            TreeEnsemble.Explanation shap = ensemble.explain(row, threads);
            double[] phi = shap.contributions();
            List<Contribution> contributions = new ArrayList<>();
            for (int f = 0; f < phi.length; f++) {
                if (phi[f] != 0) {
                    FeatureNames.Described feature = described.get(f);
                    contributions.add(new Contribution(f, feature.name(), feature.plainName(), row[f], phi[f]));
                }
            }
            contributions.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())));
            out.add(new Explanation(shap.expectedValue(), List.copyOf(contributions),
                    FeatureNames.groups(described, phi, true), FeatureNames.groups(described, phi, false)));
        }
        return out;
    }
}

package org.mihub.gateway.view;

import java.util.List;

/**
 * JSON shapes of explanations: a prediction's TreeSHAP contributions ({@code ?explain=true} on
 * {@code POST /api/v1/models/{id}/predict}) and a model's permutation importance (in its metrics).
 */
public final class ExplanationViews {

    private ExplanationViews() {
    }

    /** What one feature adds to the predicted mean (target unit); {@code value} is the input's feature value. */
    public record ContributionView(int feature, String name, String plainName, double value, double contribution) {
    }

    /** A sum over the features of one element property or one statistic. */
    public record GroupView(String name, double value, int features) {
    }

    /**
     * Why a tree model predicts its mean: {@code expectedValue} plus every contribution is the
     * mean. Contributions and groups come largest magnitude first.
     */
    public record ExplanationView(String method, double expectedValue, List<ContributionView> contributions,
            List<GroupView> byProperty, List<GroupView> byStatistic) {
    }

    /** One feature's mean and spread of the MAE increase when it is shuffled, over folds and repeats. */
    public record FeatureImportanceView(int feature, String name, String plainName, double mean, double std,
            int count) {
    }

    /** A model's permutation importance on its cross-validation folds, most important first. */
    public record ImportanceView(String metric, int repeats, int folds, long seed,
            List<FeatureImportanceView> features, List<GroupView> byProperty, List<GroupView> byStatistic) {
    }
}

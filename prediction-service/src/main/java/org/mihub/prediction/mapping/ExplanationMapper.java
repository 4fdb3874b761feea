package org.mihub.prediction.mapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.mihub.api.prediction.v1.Explanation;
import org.mihub.api.prediction.v1.FeatureContribution;
import org.mihub.api.prediction.v1.FeatureImportance;
import org.mihub.api.prediction.v1.ImportanceGroup;
import org.mihub.api.prediction.v1.PermutationImportance;
import org.mihub.prediction.features.FeatureNames;
import org.mihub.prediction.inference.Explanations;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Explanations and permutation importances into the contract: the features with their plain names
 * ({@link FeatureNames}), the largest first, and the sums per element property and per statistic.
 */
public final class ExplanationMapper {

    private ExplanationMapper() {
    }

    public static Explanation explanation(Explanations.Explanation explanation) {
        var proto = Explanation.newBuilder().setMethod(Explanations.METHOD)
                .setExpectedValue(explanation.expectedValue());
        for (Explanations.Contribution contribution : explanation.contributions()) {
            proto.addContributions(FeatureContribution.newBuilder().setFeature(contribution.feature())
                    .setName(contribution.name()).setPlainName(contribution.plainName()).setValue(contribution.value())
                    .setContribution(contribution.contribution()));
        }
        explanation.byProperty().forEach(group -> proto.addByProperty(group(group)));
        explanation.byStatistic().forEach(group -> proto.addByStatistic(group(group)));
        return proto.build();
    }

    /**
     * The permutation importance kept in a model's metrics ({@code permutation_importance}, written by
     * the training job: the features in vector order with their names), or null for a model trained
     * before it was measured.
     */
    public static PermutationImportance importance(JsonNode stored) {
        if (stored == null || stored.isMissingNode() || stored.isNull()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        stored.path("features").forEach(feature -> names.add(feature.path("name").asText()));
        List<FeatureNames.Described> described = FeatureNames.describe(names);
        List<FeatureImportance> features = new ArrayList<>();
        double[] means = new double[names.size()];
        int i = 0;
        for (JsonNode feature : stored.path("features")) {
            means[i] = feature.path("mean").asDouble();
            features.add(FeatureImportance.newBuilder().setFeature(feature.path("feature").asInt())
                    .setName(names.get(i)).setPlainName(described.get(i).plainName()).setMean(means[i])
                    .setStd(feature.path("std").asDouble()).setCount(feature.path("count").asInt()).build());
            i++;
        }
        List<FeatureImportance> sorted = new ArrayList<>(features);
        // stable: equal importances stay in feature order
        sorted.sort(Comparator.comparingDouble((FeatureImportance feature) -> -feature.getMean()));
        var proto = PermutationImportance.newBuilder().setMetric(stored.path("metric").asText())
                .setRepeats(stored.path("repeats").asInt()).setFolds(stored.path("folds").asInt())
                .setSeed(stored.path("seed").asLong()).addAllFeatures(sorted);
        FeatureNames.groups(described, means, true).forEach(group -> proto.addByProperty(group(group)));
        FeatureNames.groups(described, means, false).forEach(group -> proto.addByStatistic(group(group)));
        return proto.build();
    }

    private static ImportanceGroup group(FeatureNames.Group group) {
        return ImportanceGroup.newBuilder().setName(group.name()).setValue(group.value()).setFeatures(group.features())
                .build();
    }
}

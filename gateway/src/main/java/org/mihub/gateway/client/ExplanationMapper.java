package org.mihub.gateway.client;

import java.util.List;

import org.mihub.api.prediction.v1.Explanation;
import org.mihub.api.prediction.v1.ImportanceGroup;
import org.mihub.api.prediction.v1.PermutationImportance;
import org.mihub.gateway.view.ExplanationViews.ContributionView;
import org.mihub.gateway.view.ExplanationViews.ExplanationView;
import org.mihub.gateway.view.ExplanationViews.FeatureImportanceView;
import org.mihub.gateway.view.ExplanationViews.GroupView;
import org.mihub.gateway.view.ExplanationViews.ImportanceView;

/** Explanations and permutation importances from the prediction contract into their views. */
final class ExplanationMapper {

    private ExplanationMapper() {
    }

    static ExplanationView explanation(Explanation explanation) {
        return new ExplanationView(explanation.getMethod(), explanation.getExpectedValue(),
                explanation.getContributionsList().stream().map(c -> new ContributionView(c.getFeature(), c.getName(),
                        c.getPlainName(), c.getValue(), c.getContribution())).toList(),
                groups(explanation.getByPropertyList()), groups(explanation.getByStatisticList()));
    }

    static ImportanceView importance(PermutationImportance importance) {
        return new ImportanceView(importance.getMetric(), importance.getRepeats(), importance.getFolds(),
                importance.getSeed(), importance.getFeaturesList().stream().map(f -> new FeatureImportanceView(
                        f.getFeature(), f.getName(), f.getPlainName(), f.getMean(), f.getStd(), f.getCount())).toList(),
                groups(importance.getByPropertyList()), groups(importance.getByStatisticList()));
    }

    private static List<GroupView> groups(List<ImportanceGroup> groups) {
        return groups.stream().map(group -> new GroupView(group.getName(), group.getValue(), group.getFeatures()))
                .toList();
    }
}

package org.mihub.prediction.mapping;

import java.util.List;
import java.util.Locale;

import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.ForestUncertainty;
import org.mihub.api.prediction.v1.GaussianProcessKernel;
import org.mihub.api.prediction.v1.GaussianProcessParams;
import org.mihub.api.prediction.v1.BoostingLoss;
import org.mihub.api.prediction.v1.GradientBoostingParams;
import org.mihub.api.prediction.v1.Hyperparameters;
import org.mihub.api.prediction.v1.RandomForestParams;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.prediction.model.ClassifierParams;
import org.mihub.prediction.model.GaussianProcessModel;
import org.mihub.prediction.model.GradientBoosting;
import org.mihub.prediction.model.GradientBoostingClassifier;
import org.mihub.prediction.model.RandomForestClassifier;
import org.mihub.prediction.model.ModelParams;
import org.mihub.prediction.model.RandomForest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The algorithm and hyper-parameters of a training request, checked field by field against the
 * server's limits, and the recorded hyper-parameters of a model back into the contract.
 */
final class HyperparameterMapper {

    private static final String RANDOM_FOREST = "hyperparameters.random_forest.";
    private static final String BOOSTING = "hyperparameters.gradient_boosting.";
    private static final String PROCESS = "hyperparameters.gaussian_process.";
    /** Trees in a boosted ensemble (rounds x members), which bounds training time and artifact size. */
    private static final int MAX_BOOSTED_TREES = 50_000;

    private HyperparameterMapper() {
    }

    /** The requested algorithm with its parameters (defaults filled in); each bad field adds a violation. */
    static ModelParams params(TrainModelRequest request, long seed, List<FieldViolation> violations) {
        Algorithm algorithm = request.getAlgorithm() == Algorithm.ALGORITHM_UNSPECIFIED
                ? Algorithm.ALGORITHM_RANDOM_FOREST : request.getAlgorithm();
        Hyperparameters.ParamsCase given = request.getHyperparameters().getParamsCase();
        Hyperparameters.ParamsCase expected;
        switch (algorithm) {
            case ALGORITHM_RANDOM_FOREST:
                expected = Hyperparameters.ParamsCase.RANDOM_FOREST;
                break;
            case ALGORITHM_GRADIENT_BOOSTING:
                expected = Hyperparameters.ParamsCase.GRADIENT_BOOSTING;
                break;
            case ALGORITHM_GAUSSIAN_PROCESS:
                expected = Hyperparameters.ParamsCase.GAUSSIAN_PROCESS;
                break;
            default:
                violations.add(new FieldViolation("algorithm",
                        "ALGORITHM_RANDOM_FOREST, ALGORITHM_GRADIENT_BOOSTING or ALGORITHM_GAUSSIAN_PROCESS"));
                return RandomForest.Params.defaults(seed);
        }
        if (given != Hyperparameters.ParamsCase.PARAMS_NOT_SET && given != expected) {
            violations.add(new FieldViolation("hyperparameters", algorithm.name() + " takes "
                    + expected.name().toLowerCase(java.util.Locale.ROOT) + " parameters, not "
                    + given.name().toLowerCase(java.util.Locale.ROOT)));
        }
        switch (algorithm) {
            case ALGORITHM_GRADIENT_BOOSTING:
                return boosting(request.getHyperparameters().getGradientBoosting(), seed, violations);
            case ALGORITHM_GAUSSIAN_PROCESS:
                return process(request.getHyperparameters().getGaussianProcess(), seed, violations);
            default:
                return forest(request.getHyperparameters().getRandomForest(), seed, violations);
        }
    }

    private static RandomForest.Params forest(RandomForestParams forest, long seed, List<FieldViolation> violations) {
        RandomForest.Params defaults = RandomForest.Params.defaults(seed);
        int trees = forest.hasNTrees() ? forest.getNTrees() : defaults.trees();
        if (trees < 1 || trees > 2000) {
            violations.add(new FieldViolation(RANDOM_FOREST + "n_trees", "from 1 to 2000"));
        }
        int depth = forest.hasMaxDepth() ? forest.getMaxDepth() : defaults.maxDepth();
        if (depth < 0) {
            violations.add(new FieldViolation(RANDOM_FOREST + "max_depth", "0 (unlimited) or more"));
        }
        int leaf = forest.hasMinSamplesLeaf() ? forest.getMinSamplesLeaf() : defaults.minLeaf();
        if (leaf < 1) {
            violations.add(new FieldViolation(RANDOM_FOREST + "min_samples_leaf", "1 or more"));
        }
        double features = forest.hasMaxFeatures() ? forest.getMaxFeatures() : defaults.maxFeatures();
        if (forest.hasMaxFeatures() && !(features > 0 && features <= 1)) {
            violations.add(new FieldViolation(RANDOM_FOREST + "max_features", "a fraction in (0, 1]"));
        }
        if (forest.getUncertainty() != ForestUncertainty.FOREST_UNCERTAINTY_UNSPECIFIED
                && forest.getUncertainty() != ForestUncertainty.FOREST_UNCERTAINTY_COMBINED) {
            violations.add(new FieldViolation(RANDOM_FOREST + "uncertainty",
                    "this version computes the combined (jackknife-after-bootstrap and infinitesimal jackknife) "
                            + "estimate only"));
        }
        if (forest.hasRecalibrate() && forest.getRecalibrate()) {
            violations.add(new FieldViolation(RANDOM_FOREST + "recalibrate", NO_RECALIBRATION));
        }
        return new RandomForest.Params(trees, depth, leaf, features, seed);
    }

    private static final String NO_RECALIBRATION = "not offered in this version: the standard deviation already "
            + "includes the out-of-bag noise the ensemble does not explain";

    private static GradientBoosting.Params boosting(GradientBoostingParams boosting, long seed,
            List<FieldViolation> violations) {
        GradientBoosting.Params defaults = GradientBoosting.Params.defaults(seed);
        int rounds = boosting.hasNEstimators() ? boosting.getNEstimators() : defaults.rounds();
        if (rounds < 1 || rounds > 5000) {
            violations.add(new FieldViolation(BOOSTING + "n_estimators", "from 1 to 5000"));
        }
        double rate = boosting.hasLearningRate() ? boosting.getLearningRate() : defaults.learningRate();
        if (!(rate > 0 && rate <= 1)) {
            violations.add(new FieldViolation(BOOSTING + "learning_rate", "in (0, 1]"));
        }
        int depth = boosting.hasMaxDepth() ? boosting.getMaxDepth() : defaults.maxDepth();
        if (depth < 1 || depth > 16) {
            violations.add(new FieldViolation(BOOSTING + "max_depth", "from 1 to 16"));
        }
        double subsample = boosting.hasSubsample() ? boosting.getSubsample() : defaults.subsample();
        if (!(subsample > 0 && subsample <= 1)) {
            violations.add(new FieldViolation(BOOSTING + "subsample", "a fraction in (0, 1]"));
        }
        int leaf = boosting.hasMinSamplesLeaf() ? boosting.getMinSamplesLeaf() : defaults.minLeaf();
        if (leaf < 1) {
            violations.add(new FieldViolation(BOOSTING + "min_samples_leaf", "1 or more"));
        }
        int members = boosting.hasEnsembleSize() ? boosting.getEnsembleSize() : defaults.ensemble();
        if (members < 2 || members > 50) {
            violations.add(new FieldViolation(BOOSTING + "ensemble_size", "from 2 to 50 (the spread of the members "
                    + "is the uncertainty)"));
        } else if (rounds >= 1 && (long) rounds * members > MAX_BOOSTED_TREES) {
            violations.add(new FieldViolation(BOOSTING + "ensemble_size", "n_estimators x ensemble_size is "
                    + (long) rounds * members + ", more than " + MAX_BOOSTED_TREES + " trees"));
        }
        if (boosting.hasRecalibrate() && boosting.getRecalibrate()) {
            violations.add(new FieldViolation(BOOSTING + "recalibrate", NO_RECALIBRATION));
        }
        GradientBoosting.Loss loss;
        switch (boosting.getLoss()) {
            case BOOSTING_LOSS_UNSPECIFIED:
            case BOOSTING_LOSS_SQUARED_ERROR:
                loss = GradientBoosting.Loss.SQUARED_ERROR;
                break;
            case BOOSTING_LOSS_ABSOLUTE_ERROR:
                loss = GradientBoosting.Loss.ABSOLUTE_ERROR;
                break;
            case BOOSTING_LOSS_HUBER:
                loss = GradientBoosting.Loss.HUBER;
                break;
            default:
                violations.add(new FieldViolation(BOOSTING + "loss", "one of SQUARED_ERROR, ABSOLUTE_ERROR, HUBER"));
                loss = defaults.loss();
        }
        return new GradientBoosting.Params(rounds, rate, depth, subsample, leaf, members, loss, seed);
    }

    private static GaussianProcessModel.Params process(GaussianProcessParams process, long seed,
            List<FieldViolation> violations) {
        GaussianProcessModel.Params defaults = GaussianProcessModel.Params.defaults(seed);
        if (process.getKernel() != GaussianProcessKernel.GAUSSIAN_PROCESS_KERNEL_UNSPECIFIED
                && process.getKernel() != GaussianProcessKernel.GAUSSIAN_PROCESS_KERNEL_MATERN52_ARD) {
            violations.add(new FieldViolation(PROCESS + "kernel", "this version offers MATERN52_ARD only"));
        }
        int restarts = process.hasRestarts() ? process.getRestarts() : defaults.restarts();
        if (restarts < 0 || restarts > 20) {
            violations.add(new FieldViolation(PROCESS + "restarts", "from 0 to 20"));
        }
        Double noise = process.hasNoiseVariance() ? process.getNoiseVariance() : null;
        if (noise != null && !(noise >= 1e-6 && noise <= 1)) {
            violations.add(new FieldViolation(PROCESS + "noise_variance",
                    "from 1e-6 to 1 (standardised output units), or absent to fit it"));
        }
        if (process.hasPcaComponents()) {
            violations.add(new FieldViolation(PROCESS + "pca_components", "not offered in this version: the "
                    + "process uses every feature that varies in the training data, each with its own length scale"));
        }
        return new GaussianProcessModel.Params(restarts, noise, seed);
    }

    private static final String REGRESSION_ONLY = "a regression setting; a classifier's probabilities are "
            + "calibrated on the out-of-fold predictions instead";

    /**
     * The classification algorithm of a request (random forest or gradient boosting) with its parameters,
     * defaults filled in; regression-only parameters and the Gaussian process are refused by name.
     */
    static ClassifierParams classifier(TrainModelRequest request, long seed, List<FieldViolation> violations) {
        Algorithm algorithm = request.getAlgorithm() == Algorithm.ALGORITHM_UNSPECIFIED
                ? Algorithm.ALGORITHM_RANDOM_FOREST : request.getAlgorithm();
        Hyperparameters.ParamsCase given = request.getHyperparameters().getParamsCase();
        if (algorithm != Algorithm.ALGORITHM_RANDOM_FOREST && algorithm != Algorithm.ALGORITHM_GRADIENT_BOOSTING) {
            violations.add(new FieldViolation("algorithm", "a classifier is ALGORITHM_RANDOM_FOREST or "
                    + "ALGORITHM_GRADIENT_BOOSTING (" + algorithm.name() + " is regression only)"));
            return RandomForestClassifier.Params.defaults(seed);
        }
        Hyperparameters.ParamsCase expected = algorithm == Algorithm.ALGORITHM_RANDOM_FOREST
                ? Hyperparameters.ParamsCase.RANDOM_FOREST : Hyperparameters.ParamsCase.GRADIENT_BOOSTING;
        if (given != Hyperparameters.ParamsCase.PARAMS_NOT_SET && given != expected) {
            violations.add(new FieldViolation("hyperparameters", algorithm.name() + " takes "
                    + expected.name().toLowerCase(Locale.ROOT) + " parameters, not "
                    + given.name().toLowerCase(Locale.ROOT)));
        }
        if (algorithm == Algorithm.ALGORITHM_GRADIENT_BOOSTING) {
            GradientBoostingParams boosting = request.getHyperparameters().getGradientBoosting();
            // the bounds are the regression booster's, checked by the same code
            GradientBoosting.Params checked = boosting(boosting.toBuilder().clearEnsembleSize().clearLoss()
                    .clearRecalibrate().build(), seed, violations);
            if (boosting.hasEnsembleSize()) {
                violations.add(new FieldViolation(BOOSTING + "ensemble_size", "a regression setting (the spread of "
                        + "an ensemble is a regression model's uncertainty); a classifier states probabilities"));
            }
            if (boosting.getLoss() != BoostingLoss.BOOSTING_LOSS_UNSPECIFIED) {
                violations.add(new FieldViolation(BOOSTING + "loss", "a regression setting; a classifier minimises "
                        + "the log-loss"));
            }
            if (boosting.hasRecalibrate() && boosting.getRecalibrate()) {
                violations.add(new FieldViolation(BOOSTING + "recalibrate", REGRESSION_ONLY));
            }
            return new GradientBoostingClassifier.Params(checked.rounds(), checked.learningRate(), checked.maxDepth(),
                    checked.subsample(), checked.minLeaf(), seed);
        }
        RandomForestParams forest = request.getHyperparameters().getRandomForest();
        RandomForestClassifier.Params defaults = RandomForestClassifier.Params.defaults(seed);
        int trees = forest.hasNTrees() ? forest.getNTrees() : defaults.trees();
        if (trees < 1 || trees > 2000) {
            violations.add(new FieldViolation(RANDOM_FOREST + "n_trees", "from 1 to 2000"));
        }
        int depth = forest.hasMaxDepth() ? forest.getMaxDepth() : defaults.maxDepth();
        if (depth < 0) {
            violations.add(new FieldViolation(RANDOM_FOREST + "max_depth", "0 (unlimited) or more"));
        }
        int leaf = forest.hasMinSamplesLeaf() ? forest.getMinSamplesLeaf() : defaults.minLeaf();
        if (leaf < 1) {
            violations.add(new FieldViolation(RANDOM_FOREST + "min_samples_leaf", "1 or more"));
        }
        double features = forest.hasMaxFeatures() ? forest.getMaxFeatures() : defaults.maxFeatures();
        if (forest.hasMaxFeatures() && !(features > 0 && features <= 1)) {
            violations.add(new FieldViolation(RANDOM_FOREST + "max_features", "a fraction in (0, 1]"));
        }
        if (forest.getUncertainty() != ForestUncertainty.FOREST_UNCERTAINTY_UNSPECIFIED) {
            violations.add(new FieldViolation(RANDOM_FOREST + "uncertainty", "a regression setting (the standard "
                    + "deviation of a prediction); a classifier states probabilities"));
        }
        if (forest.hasRecalibrate() && forest.getRecalibrate()) {
            violations.add(new FieldViolation(RANDOM_FOREST + "recalibrate", REGRESSION_ONLY));
        }
        return new RandomForestClassifier.Params(trees, depth, leaf, features, seed);
    }

    /** A classifier's recorded hyper-parameters (as {@link ClassifierParams#recorded} wrote them) in the contract's form. */
    static Hyperparameters recordedClassifier(String algorithm, JsonNode hyper) {
        if (algorithm.equals("GRADIENT_BOOSTING")) {
            return Hyperparameters.newBuilder().setGradientBoosting(GradientBoostingParams.newBuilder()
                    .setNEstimators(hyper.path("n_estimators").asInt())
                    .setLearningRate(hyper.path("learning_rate").asDouble())
                    .setMaxDepth(hyper.path("max_depth").asInt()).setSubsample(hyper.path("subsample").asDouble())
                    .setMinSamplesLeaf(hyper.path("min_samples_leaf").asInt())).build();
        }
        return Hyperparameters.newBuilder().setRandomForest(RandomForestParams.newBuilder()
                .setNTrees(hyper.path("n_trees").asInt()).setMaxDepth(hyper.path("max_depth").asInt())
                .setMinSamplesLeaf(hyper.path("min_samples_leaf").asInt())
                .setMaxFeatures(hyper.path("max_features").asDouble())).build();
    }

    /** A model's recorded hyper-parameters (as {@link ModelParams#recorded} wrote them) in the contract's form. */
    static Hyperparameters recorded(String algorithm, JsonNode hyper) {
        switch (algorithm) {
            case "GRADIENT_BOOSTING":
                return Hyperparameters.newBuilder().setGradientBoosting(GradientBoostingParams.newBuilder()
                        .setNEstimators(hyper.path("n_estimators").asInt())
                        .setLearningRate(hyper.path("learning_rate").asDouble())
                        .setMaxDepth(hyper.path("max_depth").asInt()).setSubsample(hyper.path("subsample").asDouble())
                        .setMinSamplesLeaf(hyper.path("min_samples_leaf").asInt())
                        .setEnsembleSize(hyper.path("ensemble_size").asInt()).setRecalibrate(false)
                        .setLoss(BoostingLoss.valueOf("BOOSTING_LOSS_"
                                + hyper.path("loss").asText("squared_error").toUpperCase(Locale.ROOT)))).build();
            case "GAUSSIAN_PROCESS":
                GaussianProcessParams.Builder process = GaussianProcessParams.newBuilder()
                        .setKernel(GaussianProcessKernel.GAUSSIAN_PROCESS_KERNEL_MATERN52_ARD)
                        .setRestarts(hyper.path("restarts").asInt());
                if (hyper.has("noise_variance")) {
                    process.setNoiseVariance(hyper.path("noise_variance").asDouble());
                }
                return Hyperparameters.newBuilder().setGaussianProcess(process).build();
            default:
                return Hyperparameters.newBuilder().setRandomForest(RandomForestParams.newBuilder()
                        .setNTrees(hyper.path("n_trees").asInt()).setMaxDepth(hyper.path("max_depth").asInt())
                        .setMinSamplesLeaf(hyper.path("min_samples_leaf").asInt())
                        .setMaxFeatures(hyper.path("max_features").asDouble())
                        .setMaxFeaturesSelection(hyper.path("max_features_selection").asText(""))
                        .setUncertainty(ForestUncertainty.FOREST_UNCERTAINTY_COMBINED).setRecalibrate(false)).build();
        }
    }
}

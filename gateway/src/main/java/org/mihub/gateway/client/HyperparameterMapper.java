package org.mihub.gateway.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.BoostingLoss;
import org.mihub.api.prediction.v1.GaussianProcessKernel;
import org.mihub.api.prediction.v1.GaussianProcessParams;
import org.mihub.api.prediction.v1.GradientBoostingParams;
import org.mihub.api.prediction.v1.Hyperparameters;
import org.mihub.api.prediction.v1.RandomForestParams;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.common.text.Suggestions;
import org.mihub.gateway.view.ModelViews.HyperparametersInput;

/**
 * REST hyper-parameters (one flat object) to the contract's per-algorithm parameters and back. The
 * prediction service checks the values; here a field that belongs to another algorithm is refused.
 */
final class HyperparameterMapper {

    private HyperparameterMapper() {
    }

    static Hyperparameters hyperparameters(Algorithm algorithm, HyperparametersInput given) {
        switch (algorithm) {
            case ALGORITHM_GRADIENT_BOOSTING:
                refuse("gradient_boosting", given.nTrees(), "nTrees", given.maxFeatures(), "maxFeatures",
                        given.kernel(), "kernel", given.restarts(), "restarts", given.noiseVariance(), "noiseVariance");
                var boosting = GradientBoostingParams.newBuilder();
                set(given.nEstimators(), boosting::setNEstimators);
                set(given.learningRate(), boosting::setLearningRate);
                set(given.maxDepth(), boosting::setMaxDepth);
                set(given.subsample(), boosting::setSubsample);
                set(given.minSamplesLeaf(), boosting::setMinSamplesLeaf);
                set(given.ensembleSize(), boosting::setEnsembleSize);
                if (given.loss() != null) {
                    boosting.setLoss(BoostingLoss.valueOf(ProtoJson.choice(BoostingLoss.getDescriptor(), given.loss(),
                            "hyperparameters.loss")));
                }
                return Hyperparameters.newBuilder().setGradientBoosting(boosting).build();
            case ALGORITHM_GAUSSIAN_PROCESS:
                refuse("gaussian_process", given.nTrees(), "nTrees", given.maxDepth(), "maxDepth",
                        given.minSamplesLeaf(), "minSamplesLeaf", given.maxFeatures(), "maxFeatures",
                        given.nEstimators(), "nEstimators", given.learningRate(), "learningRate", given.subsample(),
                        "subsample", given.ensembleSize(), "ensembleSize", given.loss(), "loss");
                var process = GaussianProcessParams.newBuilder();
                if (given.kernel() != null) {
                    process.setKernel(GaussianProcessKernel.valueOf(ProtoJson.choice(
                            GaussianProcessKernel.getDescriptor(), given.kernel(), "hyperparameters.kernel")));
                }
                set(given.restarts(), process::setRestarts);
                set(given.noiseVariance(), process::setNoiseVariance);
                return Hyperparameters.newBuilder().setGaussianProcess(process).build();
            default:
                refuse("random_forest", given.nEstimators(), "nEstimators", given.learningRate(),
                        "learningRate", given.subsample(), "subsample", given.ensembleSize(), "ensembleSize",
                        given.kernel(), "kernel", given.restarts(), "restarts", given.noiseVariance(), "noiseVariance",
                        given.loss(), "loss");
                var forest = RandomForestParams.newBuilder();
                set(given.nTrees(), forest::setNTrees);
                set(given.maxDepth(), forest::setMaxDepth);
                set(given.minSamplesLeaf(), forest::setMinSamplesLeaf);
                set(given.maxFeatures(), forest::setMaxFeatures);
                return Hyperparameters.newBuilder().setRandomForest(forest).build();
        }
    }

    /** The hyper-parameters each algorithm takes, by the REST name. */
    static final Map<Algorithm, List<String>> NAMES = Map.of(
            Algorithm.ALGORITHM_RANDOM_FOREST, List.of("nTrees", "maxDepth", "minSamplesLeaf", "maxFeatures"),
            Algorithm.ALGORITHM_GRADIENT_BOOSTING, List.of("nEstimators", "learningRate", "maxDepth", "subsample",
                    "minSamplesLeaf", "ensembleSize", "loss"),
            Algorithm.ALGORITHM_GAUSSIAN_PROCESS, List.of("kernel", "restarts", "noiseVariance"));

    /**
     * Pairs of (value, name): the first one given is refused as not a parameter of the algorithm,
     * with the closest one it does take, or else the list of them.
     */
    private static void refuse(String algorithm, Object... pairs) {
        List<String> foreign = new ArrayList<>();
        for (int k = 0; k < pairs.length; k += 2) {
            if (pairs[k] != null) {
                foreign.add((String) pairs[k + 1]);
            }
        }
        if (!foreign.isEmpty()) {
            List<String> own = NAMES.get(Algorithm.valueOf("ALGORITHM_" + algorithm.toUpperCase(Locale.ROOT)));
            String hint = Suggestions.didYouMean(foreign.get(0), own);
            throw new InvalidInput("hyperparameters." + foreign.get(0), "not a parameter of " + algorithm
                    + (hint.isEmpty() ? " (it takes " + String.join(", ", own) + ")" : hint));
        }
    }

    private static <T> void set(T value, java.util.function.Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** A model's hyper-parameters as the REST view shows them. */
    static Map<String, Object> view(Hyperparameters hyperparameters) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        switch (hyperparameters.getParamsCase()) {
            case GRADIENT_BOOSTING:
                var boosting = hyperparameters.getGradientBoosting();
                hyper.put("nEstimators", boosting.getNEstimators());
                hyper.put("learningRate", boosting.getLearningRate());
                hyper.put("maxDepth", boosting.getMaxDepth());
                hyper.put("subsample", boosting.getSubsample());
                hyper.put("minSamplesLeaf", boosting.getMinSamplesLeaf());
                hyper.put("ensembleSize", boosting.getEnsembleSize());
                hyper.put("loss", boosting.getLoss() == BoostingLoss.BOOSTING_LOSS_UNSPECIFIED ? "squared_error"
                        : boosting.getLoss().name().replace("BOOSTING_LOSS_", "").toLowerCase(Locale.ROOT));
                break;
            case GAUSSIAN_PROCESS:
                var process = hyperparameters.getGaussianProcess();
                hyper.put("kernel", process.getKernel().name().replace("GAUSSIAN_PROCESS_KERNEL_", "")
                        .toLowerCase(Locale.ROOT));
                hyper.put("restarts", process.getRestarts());
                if (process.hasNoiseVariance()) {
                    hyper.put("noiseVariance", process.getNoiseVariance());
                }
                break;
            default:
                var forest = hyperparameters.getRandomForest();
                hyper.put("nTrees", forest.getNTrees());
                hyper.put("maxDepth", forest.getMaxDepth());
                hyper.put("minSamplesLeaf", forest.getMinSamplesLeaf());
                hyper.put("maxFeatures", forest.getMaxFeatures());
                if (!forest.getMaxFeaturesSelection().isEmpty()) {
                    hyper.put("maxFeaturesSelection", forest.getMaxFeaturesSelection());
                }
                hyper.put("uncertainty", forest.getUncertainty().name().replace("FOREST_UNCERTAINTY_", "")
                        .toLowerCase(Locale.ROOT));
        }
        return hyper;
    }
}

package org.mihub.prediction.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.prediction.config.InferenceConfig;
import org.mihub.prediction.features.FeaturiseException;
import org.mihub.prediction.features.Featuriser;
import org.mihub.prediction.features.Featurisers;
import org.mihub.prediction.model.ApplicabilityDomain;
import org.mihub.prediction.model.ClassificationMetrics;
import org.mihub.prediction.model.Parallel;
import org.mihub.prediction.model.TrainedClassifier;
import org.mihub.prediction.model.TrainedModel;
import org.mihub.prediction.registry.ModelRecord;
import org.mihub.prediction.registry.ModelRepository;
import org.mihub.prediction.registry.LineageAccess;

/**
 * Predictions from a registered model, for callers who may see it (the catalog's rule, applied to
 * models). Each input is parsed and featurised on its own: a bad formula is reported for that item
 * with its position and the others are predicted. Deserialised models are kept in a small cache.
 */
@ApplicationScoped
public class InferenceService {

    private static final int CACHED_MODELS = 8;

    @Inject
    ModelRepository models;

    @Inject
    LineageAccess lineage;

    @Inject
    InferenceConfig config;

    private final Map<UUID, Loaded> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Loaded> eldest) {
            return size() > CACHED_MODELS;
        }
    };

    /** An input: a formula, or element amounts. */
    public record Input(String id, String formula, Map<String, Double> amounts) {
    }

    /** A problem with one input: where in the formula (0-based) and why. */
    public record Problem(String code, int position, String reason, String token) {
    }

    /**
     * The outcome for one input: a prediction or a problem. A regression model's prediction has a mean and
     * a standard deviation (and its explanation, when asked); a classifier's has {@code probabilities}
     * (calibrated, one per class of {@code classes}) and the most probable class, and null mean and std.
     */
    public record Outcome(String id, int index, String reducedFormula, Double mean, Double std, Double domainDistance,
            Boolean inDomain, Problem problem, Explanations.Explanation explanation, List<String> classes,
            double[] probabilities, String predictedClass) {

        Outcome(String id, int index, String reducedFormula, Double mean, Double std, Double domainDistance,
                Boolean inDomain, Problem problem, Explanations.Explanation explanation) {
            this(id, index, reducedFormula, mean, std, domainDistance, inDomain, problem, explanation, null, null,
                    null);
        }
    }

    /** A stored model as read from its artifact: a regression model or a classifier. */
    private record Loaded(TrainedModel regression, TrainedClassifier classifier) {

        String featuriser() {
            return regression != null ? regression.featuriser() : classifier.featuriser();
        }

        String featuriserVersion() {
            return regression != null ? regression.featuriserVersion() : classifier.featuriserVersion();
        }

        ApplicabilityDomain domain() {
            return regression != null ? regression.domain() : classifier.domain();
        }
    }

    /** Inputs one call may ask to explain (TreeSHAP walks every path of every tree for each). */
    public static final int MAX_EXPLAINED = 100;

    /**
     * The model, if the caller may see it now (its visibility, and every training dataset still
     * visible to the caller in the catalog); NOT_FOUND exactly as for a missing one.
     */
    public ModelRecord visible(Optional<Caller> caller, UUID id) {
        return models.find(id).filter(found -> lineage.canRead(caller, found))
                .orElseThrow(() -> ApiException.notFound("model", id.toString()));
    }

    public List<Outcome> predict(ModelRecord model, List<Input> inputs, int firstIndex) {
        return predict(model, inputs, firstIndex, false);
    }

    /**
     * Predicts the inputs; with {@code explain}, each prediction also carries its explanation
     * ({@link Explanations}), for at most {@link #MAX_EXPLAINED} inputs of a model that can be
     * explained (FAILED_PRECONDITION naming {@code explain} otherwise).
     */
    public List<Outcome> predict(ModelRecord model, List<Input> inputs, int firstIndex, boolean explain) {
        if (inputs.size() > config.maxBatch()) {
            throw ApiException.invalid("inputs", inputs.size() + " inputs; at most " + config.maxBatch()
                    + " per call (use PredictStream for more)");
        }
        if (explain && inputs.size() > MAX_EXPLAINED) {
            throw ApiException.invalid("inputs", inputs.size() + " inputs to explain; at most " + MAX_EXPLAINED
                    + " per call with explain");
        }
        Loaded trained = load(model);
        if (explain) {
            Optional<String> why = trained.classifier() != null
                    ? Optional.of("the model is a classifier; explanations are computed for regression models")
                    : Explanations.unexplainable(trained.regression());
            if (why.isPresent()) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "explain: " + why.get(),
                        List.of(new ApiException.FieldViolation("explain", why.get())));
            }
        }
        Featuriser featuriser = Featurisers.get(trained.featuriser(), trained.featuriserVersion());
        // each input is parsed and featurised on its own, so the inputs are shared out among the threads
        int count = inputs.size();
        Composition[] compositions = new Composition[count];
        double[][] featurised = new double[count][];
        RuntimeException[] errors = new RuntimeException[count];
        Parallel.run(config.inferenceThreads(), count, i -> {
            try {
                compositions[i] = composition(inputs.get(i));
                featurised[i] = featuriser.featurise(compositions[i]);
            } catch (FormulaException | FeaturiseException e) {
                errors[i] = e;
            }
        });
        List<Outcome> outcomes = new ArrayList<>(count);
        List<double[]> rows = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Input input = inputs.get(i);
            if (errors[i] != null) {
                outcomes.add(new Outcome(input.id(), firstIndex + i, "", null, null, null, null, problem(input, errors[i]),
                        null));
            } else {
                rows.add(featurised[i]);
                positions.add(i);
                outcomes.add(new Outcome(input.id(), firstIndex + i, compositions[i].reducedFormula(), null, null, null,
                        null, null, null));
            }
        }
        double[][] x = rows.toArray(double[][]::new);
        double[] means = new double[x.length];
        double[] stds = new double[x.length];
        double[][] probabilities = null;
        if (trained.classifier() != null) {
            probabilities = new double[x.length][];
            trained.classifier().probabilities(x, probabilities, config.inferenceThreads());
        } else {
            trained.regression().regressor().predict(x, means, stds, config.inferenceThreads());
        }
        double[] distances = new double[x.length];
        int block = ApplicabilityDomain.BLOCK;
        Parallel.blocks(config.inferenceThreads(), x.length, block,
                (from, to) -> trained.domain().distances(x, from, to, distances));
        List<Explanations.Explanation> explanations = explain
                ? Explanations.explain(trained.regression(), featuriser.featureNames(), x, config.inferenceThreads())
                : null;
        for (int j = 0; j < x.length; j++) {
            int i = positions.get(j);
            Outcome parsed = outcomes.get(i);
            boolean inDomain = distances[j] <= trained.domain().threshold();
            if (probabilities != null) {
                List<String> classes = trained.classifier().classes();
                outcomes.set(i, new Outcome(parsed.id(), parsed.index(), parsed.reducedFormula(), null, null,
                        distances[j], inDomain, null, null, classes, probabilities[j],
                        classes.get(ClassificationMetrics.predicted(probabilities[j]))));
            } else {
                outcomes.set(i, new Outcome(parsed.id(), parsed.index(), parsed.reducedFormula(), means[j], stds[j],
                        distances[j], inDomain, null, explanations == null ? null : explanations.get(j)));
            }
        }
        return outcomes;
    }

    /** What is wrong with an input, as reported for that item. */
    public static Problem problem(Input input, RuntimeException error) {
        if (error instanceof FormulaException e) {
            return new Problem(code(e), e.position(), e.reason(), token(input.formula(), e.position()));
        }
        if (error instanceof FeaturiseException e) {
            return new Problem("INVALID_COMPOSITION", 0, e.getMessage(), e.element());
        }
        throw error;
    }

    /** The composition of an input: its formula parsed, or its element amounts. */
    public static Composition composition(Input input) {
        if (input.formula() != null) {
            return FormulaParser.parse(input.formula());
        }
        if (input.amounts() == null || input.amounts().isEmpty()) {
            throw new FormulaException(FormulaException.Kind.EMPTY, 0, "neither a formula nor element amounts");
        }
        StringBuilder formula = new StringBuilder();
        for (var entry : input.amounts().entrySet()) {
            if (!(entry.getValue() > 0)) {
                throw new FormulaException(FormulaException.Kind.BAD_AMOUNT, 0, "the amount of " + entry.getKey()
                        + " must be above zero");
            }
            if (!Double.isFinite(entry.getValue()) || entry.getValue() > FormulaParser.MAX_AMOUNT) {
                throw new FormulaException(FormulaException.Kind.BAD_AMOUNT, 0, "the amount of " + entry.getKey()
                        + " must be a finite number of at most " + (long) FormulaParser.MAX_AMOUNT);
            }
            formula.append(entry.getKey()).append(java.math.BigDecimal.valueOf(entry.getValue()).toPlainString());
        }
        return FormulaParser.parse(formula.toString());
    }

    private static String code(FormulaException e) {
        return switch (e.kind()) {
            case EMPTY -> "EMPTY";
            case UNKNOWN_ELEMENT -> "UNKNOWN_ELEMENT";
            case UNBALANCED -> "UNBALANCED_PARENTHESIS";
            case UNEXPECTED_CHARACTER -> "UNEXPECTED_CHARACTER";
            case BAD_AMOUNT -> e.reason().contains("zero") || e.reason().contains("negative") || e.reason()
                    .contains("above zero") ? "NON_POSITIVE_AMOUNT" : "BAD_NUMBER";
        };
    }

    private static String token(String formula, int position) {
        if (formula == null || position < 0 || position >= formula.length()) {
            return "";
        }
        int end = position + 1;
        while (end < formula.length() && Character.isLowerCase(formula.charAt(end))) {
            end++;
        }
        return formula.substring(position, end);
    }

    private Loaded load(ModelRecord model) {
        synchronized (cache) {
            Loaded cached = cache.get(model.id());
            if (cached != null) {
                return cached;
            }
        }
        byte[] artifact = models.artifact(model.id());
        Loaded loaded = model.classifier() ? new Loaded(null, TrainedClassifier.fromBytes(artifact))
                : new Loaded(TrainedModel.fromBytes(artifact), null);
        synchronized (cache) {
            cache.put(model.id(), loaded);
        }
        return loaded;
    }
}

package org.mihub.planning.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.AcquisitionSpec;
import org.mihub.api.planning.v1.BatchStrategy;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.CatalogCandidates;
import org.mihub.api.planning.v1.CompositionSpace;
import org.mihub.api.planning.v1.Constraint;
import org.mihub.api.planning.v1.ElementBound;
import org.mihub.api.planning.v1.LinearTerm;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.ParameterValue;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.api.planning.v1.Variable;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.Elements;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.units.Units;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.planning.service.Plan;
import org.mihub.planning.space.DesignSpace;
import org.mihub.planning.space.Point;

/**
 * Reads a {@link CampaignSpec} into a {@link Plan}, checking every field: each problem is reported
 * with its path (e.g. {@code spec.design_space.composition.elements[2].max_fraction}), all at once,
 * and nothing is stored when there is one. Defaults are filled in ({@link #withDefaults}).
 */
public final class SpecMapper {

    /** Candidates sampled and scored per proposal in large or continuous spaces, by default. */
    public static final int DEFAULT_MAX_SCORED = 100_000;
    private static final int MAX_SCORED_LIMIT = 1_000_000;
    /** Catalog candidates taken from one search, at most and by default. */
    public static final int MAX_CATALOG_CANDIDATES = 1_000_000;
    private static final int MAX_PRIOR_DATASETS = 20;

    private SpecMapper() {
    }

    /** Fields of a create request that only the planner fills in. */
    public static void checkRequest(CampaignSpec spec) {
        if (spec.getDesignSpace().getCatalog().getResolvedCount() > 0) {
            throw ApiException.invalid("spec.design_space.catalog.resolved",
                    "is filled in by the planner from the query; leave it empty");
        }
    }

    private static boolean isUuid(String text) {
        try {
            java.util.UUID.fromString(text);
            return text.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The spec as stored: the seed chosen when absent. */
    public static CampaignSpec withDefaults(CampaignSpec spec, long seed) {
        CampaignSpec.Builder builder = spec.toBuilder();
        if (!spec.hasSeed()) {
            builder.setSeed(seed);
        }
        if (!spec.hasInitialRandomPoints()) {
            builder.setInitialRandomPoints(2);
        }
        return builder.build();
    }

    public static Plan plan(CampaignSpec spec) {
        List<ApiException.FieldViolation> problems = new ArrayList<>();
        String root = "spec";
        if (spec.getName().isBlank()) {
            problems.add(new ApiException.FieldViolation(root + ".name", "a campaign needs a name"));
        }
        List<Plan.Objective> objectives = new ArrayList<>();
        Set<String> properties = new HashSet<>();
        if (spec.getObjectivesCount() == 0) {
            problems.add(new ApiException.FieldViolation(root + ".objectives", "at least one objective is required"));
        }
        for (int i = 0; i < spec.getObjectivesCount(); i++) {
            var objective = spec.getObjectives(i);
            String path = root + ".objectives[" + i + "]";
            if (!objective.getProperty().matches("[a-z][a-z0-9_]*")) {
                problems.add(new ApiException.FieldViolation(path + ".property",
                        "'" + objective.getProperty() + "' is not a property name (lower snake case)"));
            } else if (!properties.add(objective.getProperty())) {
                problems.add(new ApiException.FieldViolation(path + ".property",
                        "property " + objective.getProperty() + " is already an objective"));
            }
            Plan.Direction direction = switch (objective.getDirection()) {
                case OBJECTIVE_DIRECTION_MAXIMISE -> Plan.Direction.MAXIMISE;
                case OBJECTIVE_DIRECTION_MINIMISE -> Plan.Direction.MINIMISE;
                case OBJECTIVE_DIRECTION_TARGET -> Plan.Direction.TARGET;
                default -> null;
            };
            if (direction == null) {
                problems.add(new ApiException.FieldViolation(path + ".direction", "maximise, minimise or target"));
            }
            if (objective.getDirection() == ObjectiveDirection.OBJECTIVE_DIRECTION_TARGET && !objective.hasTarget()) {
                problems.add(new ApiException.FieldViolation(path + ".target", "a target objective needs a target"));
            }
            if (!objective.getUnit().isEmpty()) {
                try {
                    Units.parse(objective.getUnit());
                } catch (Units.UnitException e) {
                    problems.add(new ApiException.FieldViolation(path + ".unit", e.getMessage()));
                }
            }
            double weight = objective.hasWeight() ? objective.getWeight() : 1;
            if (!(weight > 0) || !Double.isFinite(weight)) {
                problems.add(new ApiException.FieldViolation(path + ".weight", "must be positive"));
            }
            if (objective.hasReference() && !Double.isFinite(objective.getReference())) {
                problems.add(new ApiException.FieldViolation(path + ".reference", "must be a finite number"));
            }
            objectives.add(new Plan.Objective(objective.getProperty(), direction,
                    objective.hasTarget() ? objective.getTarget() : null, objective.getUnit(), weight,
                    objective.hasReference() ? objective.getReference() : null));
        }
        DesignSpace space = space(spec, problems);
        Map<String, Double> costTerms = new LinkedHashMap<>();
        for (int i = 0; i < spec.getCost().getTermsCount(); i++) {
            LinearTerm term = spec.getCost().getTerms(i);
            String name = variable(term.getVariable(), root + ".cost.terms[" + i + "].variable", problems);
            if (name != null) {
                costTerms.merge(name, term.getCoefficient(), Double::sum);
            }
        }
        if (spec.getCost().getFixed() < 0) {
            problems.add(new ApiException.FieldViolation(root + ".cost.fixed", "must not be negative"));
        }
        Integer maxExperiments = spec.getBudget().hasMaxExperiments() ? spec.getBudget().getMaxExperiments() : null;
        if (maxExperiments != null && maxExperiments < 1) {
            problems.add(new ApiException.FieldViolation(root + ".budget.max_experiments", "must be at least 1"));
        }
        Double maxCost = spec.getBudget().hasMaxCost() ? spec.getBudget().getMaxCost() : null;
        if (maxCost != null && !(maxCost > 0)) {
            problems.add(new ApiException.FieldViolation(root + ".budget.max_cost", "must be positive"));
        }
        GaussianProcess.Options surrogate = surrogate(spec, problems);
        Map<String, String> models = models(spec, problems);
        List<Plan.OutcomeConstraint> outcomeConstraints = outcomeConstraints(spec, problems);
        AcquisitionSpec acquisitionSpec = spec.getAcquisition();
        boolean penalised = acquisitionSpec.getBatchStrategy() == BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION;
        // the contract's default: expected hypervolume improvement for two objectives (its batches are
        // the believer's), log EI on a ParEGO scalarisation for three or more, log EI for one
        Acquisition.Function function = acquisitionSpec.getFunction() == AcquisitionFunction.ACQUISITION_FUNCTION_UNSPECIFIED
                && spec.getObjectivesCount() == 2 && !penalised
                        ? Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT
                        : function(acquisitionSpec.getFunction(), spec.getObjectivesCount(), problems);
        if (function == Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT
                && penalised) {
            problems.add(new ApiException.FieldViolation(root + ".acquisition.batch_strategy", "expected hypervolume "
                    + "improvement fills a batch by the kriging believer on the Pareto front; leave the strategy unset"));
        }
        double beta = acquisitionSpec.hasUcbBeta() ? acquisitionSpec.getUcbBeta() : 2;
        if (!(beta >= 0)) {
            problems.add(new ApiException.FieldViolation(root + ".acquisition.ucb_beta", "must not be negative"));
        }
        double xi = acquisitionSpec.hasXi() ? acquisitionSpec.getXi() : 0;
        if (!(xi >= 0)) {
            problems.add(new ApiException.FieldViolation(root + ".acquisition.xi", "must not be negative"));
        }
        int batchSize = acquisitionSpec.hasBatchSize() ? acquisitionSpec.getBatchSize() : 1;
        if (batchSize < 1 || batchSize > 1000) {
            problems.add(new ApiException.FieldViolation(root + ".acquisition.batch_size", "must be 1 to 1000"));
        }
        int maxScored = acquisitionSpec.hasMaxScoredCandidates() ? acquisitionSpec.getMaxScoredCandidates()
                : DEFAULT_MAX_SCORED;
        if (maxScored < 1 || maxScored > MAX_SCORED_LIMIT) {
            problems.add(new ApiException.FieldViolation(root + ".acquisition.max_scored_candidates",
                    "must be 1 to " + MAX_SCORED_LIMIT));
        }
        int initial = spec.hasInitialRandomPoints() ? spec.getInitialRandomPoints() : 2;
        if (initial < 1) {
            problems.add(new ApiException.FieldViolation(root + ".initial_random_points", "must be at least 1"));
        }
        if (spec.getPriorDataCount() > MAX_PRIOR_DATASETS) {
            problems.add(new ApiException.FieldViolation(root + ".prior_data",
                    "at most " + MAX_PRIOR_DATASETS + " datasets"));
        }
        for (int i = 0; i < spec.getPriorDataCount(); i++) {
            var reference = spec.getPriorData(i);
            if (!isUuid(reference.getDatasetId())) {
                problems.add(new ApiException.FieldViolation(root + ".prior_data[" + i + "].dataset_id",
                        "'" + reference.getDatasetId() + "' is not a dataset id"));
            }
            if (reference.hasVersion() && reference.getVersion() < 1) {
                problems.add(new ApiException.FieldViolation(root + ".prior_data[" + i + "].version",
                        "must be at least 1"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, problems.size() == 1
                    ? problems.get(0).field() + ": " + problems.get(0).reason()
                    : problems.size() + " problems in the campaign spec, first " + problems.get(0).field() + ": "
                            + problems.get(0).reason(), problems);
        }
        BatchSelector.Strategy batch = acquisitionSpec.getBatchStrategy() == BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION
                ? BatchSelector.Strategy.LOCAL_PENALISATION : BatchSelector.Strategy.KRIGING_BELIEVER;
        return new Plan(objectives, space, new Plan.Cost(spec.getCost().getFixed(), costTerms, spec.getCost().getUnit()),
                maxExperiments, maxCost, surrogate,
                new Acquisition(function, beta, xi, acquisitionSpec.getCostAware()), batch, batchSize, initial, maxScored,
                spec.getSeed(), models, outcomeConstraints);
    }

    /**
     * The spec with every outcome constraint's bound that has no unit given the property's
     * canonical unit from {@code vocabulary}; the same spec when nothing is missing.
     */
    public static CampaignSpec withConstraintUnits(CampaignSpec spec, Map<String, String> vocabulary) {
        boolean missing = spec.getOutcomeConstraintsList().stream()
                .anyMatch(c -> (c.hasUpper() && c.getUpper().getUnit().isEmpty())
                        || (c.hasLower() && c.getLower().getUnit().isEmpty()));
        if (!missing) {
            return spec;
        }
        CampaignSpec.Builder builder = spec.toBuilder();
        for (int i = 0; i < builder.getOutcomeConstraintsCount(); i++) {
            var constraint = builder.getOutcomeConstraintsBuilder(i);
            String canonical = vocabulary.getOrDefault(constraint.getProperty(), "");
            if (constraint.hasUpper() && constraint.getUpper().getUnit().isEmpty()) {
                constraint.getUpperBuilder().setUnit(canonical);
            }
            if (constraint.hasLower() && constraint.getLower().getUnit().isEmpty()) {
                constraint.getLowerBuilder().setUnit(canonical);
            }
        }
        return builder.build();
    }

    /**
     * The outcome constraints, each bound one {@link Plan.OutcomeConstraint}: a property name, at
     * least one bound, finite values in a unit the units library reads, and a range that is not
     * empty. Whether the property is in the catalog's vocabulary and the unit one of its kind is
     * checked against the catalog when the campaign is created.
     */
    private static List<Plan.OutcomeConstraint> outcomeConstraints(CampaignSpec spec,
            List<ApiException.FieldViolation> problems) {
        List<Plan.OutcomeConstraint> constraints = new ArrayList<>();
        for (int i = 0; i < spec.getOutcomeConstraintsCount(); i++) {
            var constraint = spec.getOutcomeConstraints(i);
            String path = "spec.outcome_constraints[" + i + "]";
            if (!constraint.getProperty().matches("[a-z][a-z0-9_]*")) {
                problems.add(new ApiException.FieldViolation(path + ".property",
                        "'" + constraint.getProperty() + "' is not a property name (lower snake case)"));
            }
            if (!constraint.hasUpper() && !constraint.hasLower()) {
                problems.add(new ApiException.FieldViolation(path, "give an upper or a lower bound (or both)"));
            }
            Double upper = null;
            Double lower = null;
            for (boolean isUpper : new boolean[] {true, false}) {
                if (isUpper ? !constraint.hasUpper() : !constraint.hasLower()) {
                    continue;
                }
                var bound = isUpper ? constraint.getUpper() : constraint.getLower();
                String field = path + (isUpper ? ".upper" : ".lower");
                boolean ok = true;
                if (!Double.isFinite(bound.getValue())) {
                    problems.add(new ApiException.FieldViolation(field + ".value", "must be a finite number"));
                    ok = false;
                }
                if (!bound.getUnit().isEmpty()) {
                    try {
                        Units.parse(bound.getUnit());
                    } catch (Units.UnitException e) {
                        problems.add(new ApiException.FieldViolation(field + ".unit", e.getMessage()));
                        ok = false;
                    }
                }
                if (ok) {
                    constraints.add(new Plan.OutcomeConstraint(constraint.getProperty(), isUpper, bound.getValue(),
                            bound.getUnit(), field));
                    if (isUpper) {
                        upper = bound.getValue();
                    } else {
                        lower = bound.getValue();
                    }
                }
            }
            if (upper != null && lower != null) {
                try {
                    String lowerUnit = constraint.getLower().getUnit();
                    String upperUnit = constraint.getUpper().getUnit();
                    double lowerInUpper = lowerUnit.isEmpty() || upperUnit.isEmpty() || lowerUnit.equals(upperUnit)
                            ? lower : Units.converter(lowerUnit, upperUnit).convert(lower).doubleValue();
                    if (!(lowerInUpper < upper)) {
                        problems.add(new ApiException.FieldViolation(path + ".lower",
                                "must be below the upper bound: no value could meet both"));
                    }
                } catch (Units.UnitException e) {
                    problems.add(new ApiException.FieldViolation(path + ".lower.unit", e.getMessage()));
                }
            }
        }
        return constraints;
    }

    /**
     * Prediction models as the surrogate: one model per objective, fixed (the planner corrects
     * them with a Gaussian process on the campaign's standardised residuals), over compositions
     * only; one objective (maximised, minimised or reaching a target), scored per candidate,
     * kriging-believer batches, or two by expected hypervolume improvement.
     */
    private static Map<String, String> models(CampaignSpec spec, List<ApiException.FieldViolation> problems) {
        if (!spec.getSurrogate().hasPredictionModel()) {
            return Map.of();
        }
        String path = "spec.surrogate.prediction_model";
        var surrogate = spec.getSurrogate().getPredictionModel();
        Map<String, String> models = new TreeMap<>();
        Set<String> objectives = new HashSet<>();
        for (var objective : spec.getObjectivesList()) {
            objectives.add(objective.getProperty());
            String id = surrogate.getModelIdsMap().get(objective.getProperty());
            if (id == null || !isUuid(id)) {
                problems.add(new ApiException.FieldViolation(path + ".model_ids[" + objective.getProperty() + "]",
                        id == null ? "name the model of the objective " + objective.getProperty()
                                : "'" + id + "' is not a model id"));
            } else {
                models.put(objective.getProperty(), id);
            }
        }
        for (String property : surrogate.getModelIdsMap().keySet()) {
            if (!objectives.contains(property)) {
                problems.add(new ApiException.FieldViolation(path + ".model_ids[" + property + "]",
                        "no objective " + property));
            }
        }
        if (spec.getObjectivesCount() > 2) {
            problems.add(new ApiException.FieldViolation(path, "prediction models serve one or two objectives; "
                    + "three or more need the Gaussian processes (ParEGO)"));
        } else if (spec.getObjectivesCount() == 2 && spec.getAcquisition().getFunction()
                != AcquisitionFunction.ACQUISITION_FUNCTION_UNSPECIFIED && spec.getAcquisition().getFunction()
                != AcquisitionFunction.ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT) {
            problems.add(new ApiException.FieldViolation("spec.acquisition.function", "two objectives from prediction "
                    + "models are chosen by expected hypervolume improvement; leave the function unset"));
        }
        if (surrogate.getRetrain()) {
            problems.add(new ApiException.FieldViolation(path + ".retrain", "retraining the models from the "
                    + "campaign's results is not supported yet; leave it false (the planner corrects the fixed "
                    + "models with a Gaussian process on the campaign's residuals)"));
        }
        var design = spec.getDesignSpace();
        if (design.getParametersCount() > 0 || design.getCompositionsCase()
                == org.mihub.api.planning.v1.DesignSpace.CompositionsCase.COMPOSITIONS_NOT_SET) {
            problems.add(new ApiException.FieldViolation(path, "a prediction model predicts from the composition "
                    + "alone: the design space needs compositions and no process parameters"));
        }
        var acquisition = spec.getAcquisition();
        if (acquisition.getFunction() == AcquisitionFunction.ACQUISITION_FUNCTION_THOMPSON_SAMPLING
                || acquisition.getBatchStrategy() == BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION) {
            problems.add(new ApiException.FieldViolation("spec.acquisition", "with prediction models, Thompson "
                    + "sampling and local penalisation are not available yet; use kriging-believer batches"));
        }
        return models;
    }

    private static Acquisition.Function function(AcquisitionFunction function, int objectives,
            List<ApiException.FieldViolation> problems) {
        String path = "spec.acquisition.function";
        switch (function) {
            case ACQUISITION_FUNCTION_UNSPECIFIED, ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT,
                    ACQUISITION_FUNCTION_PAREGO:
                // several objectives: log EI on a ParEGO scalarisation (new weights per batch)
                return Acquisition.Function.LOG_EXPECTED_IMPROVEMENT;
            case ACQUISITION_FUNCTION_UPPER_CONFIDENCE_BOUND:
                return Acquisition.Function.UPPER_CONFIDENCE_BOUND;
            case ACQUISITION_FUNCTION_PROBABILITY_OF_IMPROVEMENT:
                return Acquisition.Function.PROBABILITY_OF_IMPROVEMENT;
            case ACQUISITION_FUNCTION_THOMPSON_SAMPLING:
                return Acquisition.Function.THOMPSON_SAMPLING;
            case ACQUISITION_FUNCTION_PURE_EXPLORATION:
                return Acquisition.Function.PURE_EXPLORATION;
            case ACQUISITION_FUNCTION_RANDOM:
                return Acquisition.Function.RANDOM;
            case ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT:
                if (objectives != 2) {
                    problems.add(new ApiException.FieldViolation(path, "expected hypervolume improvement is "
                            + "computed for two objectives; this spec has " + objectives + (objectives > 2
                                    ? " (use PAREGO)" : " (use LOG_EXPECTED_IMPROVEMENT)")));
                }
                return Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT;
            default:
                problems.add(new ApiException.FieldViolation(path, "unknown acquisition function " + function));
                return Acquisition.Function.LOG_EXPECTED_IMPROVEMENT;
        }
    }

    private static GaussianProcess.Options surrogate(CampaignSpec spec, List<ApiException.FieldViolation> problems) {
        var surrogate = spec.getSurrogate();
        switch (surrogate.getKindCase()) {
            case KIND_NOT_SET:
                return GaussianProcess.Options.defaults();
            case GAUSSIAN_PROCESS: {
                var gp = surrogate.getGaussianProcess();
                int restarts = gp.hasRestarts() ? gp.getRestarts() : 5;
                if (restarts < 0 || restarts > 50) {
                    problems.add(new ApiException.FieldViolation("spec.surrogate.gaussian_process.restarts",
                            "must be 0 to 50"));
                }
                Double noise = gp.hasNoiseVariance() ? gp.getNoiseVariance() : null;
                if (noise != null && !(noise > 0 && noise <= 1)) {
                    problems.add(new ApiException.FieldViolation("spec.surrogate.gaussian_process.noise_variance",
                            "must be in (0, 1] (standardised units)"));
                }
                if (gp.hasFeaturiser()) {
                    problems.add(new ApiException.FieldViolation("spec.surrogate.gaussian_process.featuriser",
                            "featurised compositions are not supported yet; the GP uses atomic fractions"));
                }
                return new GaussianProcess.Options(Math.max(0, restarts), noise, 100,
                        !gp.hasWarpOutputs() || gp.getWarpOutputs());
            }
            default:
                // prediction models (checked in models()); the residual process takes the defaults
                return GaussianProcess.Options.defaults();
        }
    }

    private static DesignSpace space(CampaignSpec spec, List<ApiException.FieldViolation> problems) {
        String root = "spec.design_space";
        var design = spec.getDesignSpace();
        List<DesignSpace.Parameter> parameters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < design.getParametersCount(); i++) {
            ProcessParameter parameter = design.getParameters(i);
            String path = root + ".parameters[" + i + "]";
            String name = parameter.getName();
            if (!name.matches("[a-z][a-z0-9_]*")) {
                problems.add(new ApiException.FieldViolation(path + ".name", "'" + name + "' is not lower snake case"));
            } else if (!names.add(name)) {
                problems.add(new ApiException.FieldViolation(path + ".name", "parameter " + name + " is declared twice"));
            }
            switch (parameter.getDomainCase()) {
                case CONTINUOUS: {
                    var d = parameter.getContinuous();
                    if (!(d.getMin() <= d.getMax()) || !Double.isFinite(d.getMin()) || !Double.isFinite(d.getMax())) {
                        problems.add(new ApiException.FieldViolation(path + ".continuous", "needs finite min <= max"));
                    }
                    if (d.hasStep() && !(d.getStep() > 0)) {
                        problems.add(new ApiException.FieldViolation(path + ".continuous.step", "must be positive"));
                    }
                    if (d.getLogScale() && !(d.getMin() > 0)) {
                        problems.add(new ApiException.FieldViolation(path + ".continuous.log_scale",
                                "a log scale needs min > 0"));
                    }
                    parameters.add(new DesignSpace.Continuous(name, parameter.getUnit(), d.getMin(), d.getMax(),
                            d.hasStep() ? d.getStep() : null, d.getLogScale()));
                    break;
                }
                case INTEGER: {
                    var d = parameter.getInteger();
                    long step = d.hasStep() ? d.getStep() : 1;
                    if (d.getMin() > d.getMax() || step < 1) {
                        problems.add(new ApiException.FieldViolation(path + ".integer", "needs min <= max and step >= 1"));
                    }
                    parameters.add(new DesignSpace.IntegerRange(name, parameter.getUnit(), d.getMin(), d.getMax(),
                            Math.max(1, step)));
                    break;
                }
                case CATEGORICAL: {
                    List<String> values = parameter.getCategorical().getValuesList();
                    if (values.isEmpty() || new HashSet<>(values).size() != values.size()) {
                        problems.add(new ApiException.FieldViolation(path + ".categorical.values",
                                "needs at least one value and no value twice"));
                    }
                    parameters.add(new DesignSpace.Categorical(name, List.copyOf(values)));
                    break;
                }
                default:
                    problems.add(new ApiException.FieldViolation(path, "needs a continuous, integer or categorical domain"));
            }
        }
        List<Point> explicit = null;
        List<DesignSpace.ElementRange> elements = new ArrayList<>();
        Double step = null;
        Integer minElements = null;
        Integer maxElements = null;
        switch (design.getCompositionsCase()) {
            case EXPLICIT: {
                explicit = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                var candidates = design.getExplicit().getCandidatesList();
                if (candidates.isEmpty()) {
                    problems.add(new ApiException.FieldViolation(root + ".explicit.candidates", "the list is empty"));
                }
                for (int i = 0; i < candidates.size(); i++) {
                    Point point = candidate(candidates.get(i), parameters, root + ".explicit.candidates[" + i + "]",
                            problems);
                    if (point != null && !ids.add(point.id())) {
                        problems.add(new ApiException.FieldViolation(root + ".explicit.candidates[" + i + "].id",
                                "id " + point.id() + " is used twice"));
                    }
                    if (point != null) {
                        explicit.add(point);
                    }
                }
                break;
            }
            case COMPOSITION: {
                CompositionSpace composition = design.getComposition();
                Set<String> seen = new HashSet<>();
                double minSum = 0;
                double maxSum = 0;
                for (int i = 0; i < composition.getElementsCount(); i++) {
                    ElementBound bound = composition.getElements(i);
                    String path = root + ".composition.elements[" + i + "]";
                    if (Elements.find(bound.getElement()).isEmpty()) {
                        problems.add(new ApiException.FieldViolation(path + ".element",
                                "'" + bound.getElement() + "' is not an element symbol"));
                    } else if (!seen.add(bound.getElement())) {
                        problems.add(new ApiException.FieldViolation(path + ".element",
                                bound.getElement() + " is listed twice"));
                    }
                    if (!(bound.getMinFraction() >= 0 && bound.getMinFraction() <= bound.getMaxFraction()
                            && bound.getMaxFraction() <= 1)) {
                        problems.add(new ApiException.FieldViolation(path + ".max_fraction",
                                "needs 0 <= min_fraction <= max_fraction <= 1"));
                    }
                    minSum += bound.getMinFraction();
                    maxSum += bound.getMaxFraction();
                    elements.add(new DesignSpace.ElementRange(bound.getElement(), bound.getMinFraction(),
                            bound.getMaxFraction()));
                }
                if (elements.isEmpty()) {
                    problems.add(new ApiException.FieldViolation(root + ".composition.elements", "no elements"));
                } else if (minSum > 1 + DesignSpace.TOLERANCE || maxSum < 1 - DesignSpace.TOLERANCE) {
                    problems.add(new ApiException.FieldViolation(root + ".composition.elements",
                            "no composition within these bounds sums to 1"));
                }
                if (composition.hasStep()) {
                    step = composition.getStep();
                    double units = 1 / step;
                    if (!(step > 0 && step <= 1) || Math.abs(units - Math.rint(units)) > 1e-9) {
                        problems.add(new ApiException.FieldViolation(root + ".composition.step",
                                "must divide 1 into whole steps, e.g. 0.05"));
                    }
                }
                minElements = composition.hasMinElements() ? composition.getMinElements() : null;
                maxElements = composition.hasMaxElements() ? composition.getMaxElements() : null;
                if (maxElements != null && maxElements < 1 || minElements != null && maxElements != null
                        && minElements > maxElements) {
                    problems.add(new ApiException.FieldViolation(root + ".composition.max_elements",
                            "needs 1 <= min_elements <= max_elements"));
                }
                break;
            }
            case CATALOG: {
                CatalogCandidates catalog = design.getCatalog();
                if (!parameters.isEmpty()) {
                    problems.add(new ApiException.FieldViolation(root + ".parameters",
                            "catalog candidates cannot be combined with process parameters yet; list the "
                                    + "combinations as explicit candidates"));
                }
                if (catalog.hasMaxCandidates() && (catalog.getMaxCandidates() < 1
                        || catalog.getMaxCandidates() > MAX_CATALOG_CANDIDATES)) {
                    problems.add(new ApiException.FieldViolation(root + ".catalog.max_candidates",
                            "must be 1 to " + MAX_CATALOG_CANDIDATES));
                }
                if (catalog.getResolvedCount() == 0) {
                    problems.add(new ApiException.FieldViolation(root + ".catalog.query",
                            "the search finds no material with a composition that the creator may see"));
                }
                explicit = new ArrayList<>();
                for (int i = 0; i < catalog.getResolvedCount(); i++) {
                    Point point = candidate(catalog.getResolved(i), List.of(), root + ".catalog.resolved[" + i + "]",
                            problems);
                    if (point != null) {
                        explicit.add(point);
                    }
                }
                break;
            }
            default:
                if (parameters.isEmpty()) {
                    problems.add(new ApiException.FieldViolation(root,
                            "give explicit candidates, a composition space or process parameters"));
                }
        }
        List<DesignSpace.Linear> linear = new ArrayList<>();
        List<DesignSpace.CountLimit> counts = new ArrayList<>();
        Set<String> excluded = new LinkedHashSet<>();
        for (int i = 0; i < spec.getConstraintsCount(); i++) {
            Constraint constraint = spec.getConstraints(i);
            String path = "spec.constraints[" + i + "]";
            String name = constraint.getName().isBlank() ? "constraint " + (i + 1) : constraint.getName();
            switch (constraint.getKindCase()) {
                case LINEAR: {
                    var l = constraint.getLinear();
                    Map<String, Double> terms = new TreeMap<>();
                    for (int t = 0; t < l.getTermsCount(); t++) {
                        String v = variable(l.getTerms(t).getVariable(), path + ".linear.terms[" + t + "].variable",
                                problems);
                        if (v != null) {
                            terms.merge(v, l.getTerms(t).getCoefficient(), Double::sum);
                        }
                    }
                    DesignSpace.Relation relation = switch (l.getRelation()) {
                        case CONSTRAINT_RELATION_LESS_EQUAL -> DesignSpace.Relation.LESS_EQUAL;
                        case CONSTRAINT_RELATION_GREATER_EQUAL -> DesignSpace.Relation.GREATER_EQUAL;
                        case CONSTRAINT_RELATION_EQUAL -> DesignSpace.Relation.EQUAL;
                        default -> null;
                    };
                    if (relation == null) {
                        problems.add(new ApiException.FieldViolation(path + ".linear.relation", "<=, >= or ="));
                    }
                    if (terms.isEmpty()) {
                        problems.add(new ApiException.FieldViolation(path + ".linear.terms", "no terms"));
                    }
                    linear.add(new DesignSpace.Linear(name, terms, relation, l.getRhs()));
                    break;
                }
                case N_CHOOSE_K: {
                    var k = constraint.getNChooseK();
                    List<String> variables = new ArrayList<>();
                    for (int t = 0; t < k.getVariablesCount(); t++) {
                        String v = variable(k.getVariables(t), path + ".n_choose_k.variables[" + t + "]", problems);
                        if (v != null) {
                            variables.add(v);
                        }
                    }
                    int min = k.hasMinPresent() ? k.getMinPresent() : 0;
                    if (k.getMaxPresent() < min || k.getMaxPresent() < 0) {
                        problems.add(new ApiException.FieldViolation(path + ".n_choose_k.max_present",
                                "needs 0 <= min_present <= max_present"));
                    }
                    counts.add(new DesignSpace.CountLimit(name, variables, min, k.getMaxPresent()));
                    break;
                }
                case EXCLUDED_ELEMENTS: {
                    var list = constraint.getExcludedElements().getElementsList();
                    for (int t = 0; t < list.size(); t++) {
                        if (Elements.find(list.get(t)).isEmpty()) {
                            problems.add(new ApiException.FieldViolation(path + ".excluded_elements.elements[" + t + "]",
                                    "'" + list.get(t) + "' is not an element symbol"));
                        }
                        excluded.add(list.get(t));
                    }
                    break;
                }
                default:
                    problems.add(new ApiException.FieldViolation(path, "needs linear, n_choose_k or excluded_elements"));
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        DesignSpace space = new DesignSpace(explicit, elements, step, minElements, maxElements, parameters, linear,
                counts, excluded);
        if (space.pool(1000, new SplittableRandom(1)).isEmpty()) {
            problems.add(new ApiException.FieldViolation(root,
                    "no feasible candidate: the bounds and constraints exclude every point"));
        }
        return space;
    }

    private static String variable(Variable variable, String path, List<ApiException.FieldViolation> problems) {
        switch (variable.getRefCase()) {
            case ELEMENT:
                if (Elements.find(variable.getElement()).isEmpty()) {
                    problems.add(new ApiException.FieldViolation(path + ".element",
                            "'" + variable.getElement() + "' is not an element symbol"));
                    return null;
                }
                return variable.getElement();
            case PARAMETER:
                return variable.getParameter();
            default:
                problems.add(new ApiException.FieldViolation(path, "names an element or a parameter"));
                return null;
        }
    }

    /** A client's explicit candidate as a point; null (with problems) when it is malformed. */
    static Point candidate(Candidate candidate, List<DesignSpace.Parameter> parameters, String path,
            List<ApiException.FieldViolation> problems) {
        int before = problems.size();
        Map<String, Double> composition = new TreeMap<>();
        if (!candidate.getFormula().isBlank()) {
            try {
                Composition parsed = FormulaParser.parse(candidate.getFormula());
                composition.putAll(parsed.atomicFractions());
            } catch (FormulaException e) {
                problems.add(new ApiException.FieldViolation(path + ".formula",
                        "position " + e.position() + ": " + e.reason()));
            }
        } else if (candidate.getCompositionCount() > 0) {
            double sum = 0;
            for (Map.Entry<String, Double> entry : candidate.getCompositionMap().entrySet()) {
                if (Elements.find(entry.getKey()).isEmpty()) {
                    problems.add(new ApiException.FieldViolation(path + ".composition[" + entry.getKey() + "]",
                            "not an element symbol"));
                } else if (!(entry.getValue() >= 0)) {
                    problems.add(new ApiException.FieldViolation(path + ".composition[" + entry.getKey() + "]",
                            "must not be negative"));
                }
                sum += entry.getValue();
                composition.put(entry.getKey(), entry.getValue());
            }
            if (Math.abs(sum - 1) > DesignSpace.TOLERANCE) {
                problems.add(new ApiException.FieldViolation(path + ".composition", "fractions sum to " + sum + ", not 1"));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (DesignSpace.Parameter parameter : parameters) {
            ParameterValue value = candidate.getParametersMap().get(parameter.name());
            Object v = value == null ? null : value(value);
            String problem = v == null ? "parameter " + parameter.name() + " has no value"
                    : DesignSpace.parameterViolation(parameter, v);
            if (problem != null) {
                problems.add(new ApiException.FieldViolation(path + ".parameters[" + parameter.name() + "]", problem));
            }
            values.put(parameter.name(), v);
        }
        for (String name : candidate.getParametersMap().keySet()) {
            if (parameters.stream().noneMatch(p -> p.name().equals(name))) {
                problems.add(new ApiException.FieldViolation(path + ".parameters[" + name + "]",
                        "no parameter " + name + " is declared"));
            }
        }
        if (candidate.getId().isBlank()) {
            problems.add(new ApiException.FieldViolation(path + ".id", "explicit candidates need an id"));
        }
        if (candidate.hasCost() && !(candidate.getCost() >= 0)) {
            problems.add(new ApiException.FieldViolation(path + ".cost", "must not be negative"));
        }
        if (problems.size() > before) {
            return null;
        }
        return new Point(candidate.getId(), composition, values, candidate.hasCost() ? candidate.getCost() : null,
                candidate.getMaterialId());
    }

    /** A wire parameter value as Double, Long or String; null when unset. */
    public static Object value(ParameterValue value) {
        return switch (value.getValueCase()) {
            case NUMBER -> value.getNumber();
            case INTEGER -> value.getInteger();
            case CATEGORY -> value.getCategory();
            default -> null;
        };
    }

    public static ParameterValue value(Object value) {
        if (value instanceof Double d) {
            return ParameterValue.newBuilder().setNumber(d).build();
        }
        if (value instanceof Long l) {
            return ParameterValue.newBuilder().setInteger(l).build();
        }
        return ParameterValue.newBuilder().setCategory(String.valueOf(value)).build();
    }
}

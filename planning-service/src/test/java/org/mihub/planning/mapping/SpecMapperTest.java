package org.mihub.planning.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.AcquisitionSpec;
import org.mihub.api.planning.v1.BatchStrategy;
import org.mihub.api.planning.v1.Budget;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CatalogCandidates;
import org.mihub.api.planning.v1.CategoricalDomain;
import org.mihub.api.planning.v1.CompositionSpace;
import org.mihub.api.planning.v1.Constraint;
import org.mihub.api.planning.v1.ConstraintRelation;
import org.mihub.api.planning.v1.ContinuousDomain;
import org.mihub.api.planning.v1.CostModel;
import org.mihub.api.planning.v1.DesignSpace;
import org.mihub.api.planning.v1.ElementBound;
import org.mihub.api.planning.v1.ExcludedElements;
import org.mihub.api.planning.v1.ExplicitCandidates;
import org.mihub.api.planning.v1.GaussianProcessSurrogate;
import org.mihub.api.planning.v1.IntegerDomain;
import org.mihub.api.planning.v1.LinearConstraint;
import org.mihub.api.planning.v1.LinearTerm;
import org.mihub.api.planning.v1.NChooseKConstraint;
import org.mihub.api.planning.v1.Objective;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.ParameterValue;
import org.mihub.api.planning.v1.PredictionModelSurrogate;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.api.planning.v1.SurrogateSpec;
import org.mihub.api.planning.v1.Variable;
import org.mihub.api.prediction.v1.DatasetRef;
import org.mihub.api.prediction.v1.FeaturiserRef;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.common.units.Units;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.service.Plan;
import org.mihub.planning.space.Point;

class SpecMapperTest {

    private static final String MODEL = "3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";
    private static final String OTHER_MODEL = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

    private static Objective.Builder objective(String property) {
        return Objective.newBuilder().setProperty(property).setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE);
    }

    private static ElementBound.Builder bound(String element, double min, double max) {
        return ElementBound.newBuilder().setElement(element).setMinFraction(min).setMaxFraction(max);
    }

    private static DesignSpace.Builder feNi() {
        return DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder().addElements(bound("Fe", 0, 1))
                .addElements(bound("Ni", 0, 1)).setStep(0.25));
    }

    /** A valid spec: maximise hardness over Fe-Ni in quarters. */
    private static CampaignSpec.Builder spec() {
        return CampaignSpec.newBuilder().setName("alloy").addObjectives(objective("hardness")).setDesignSpace(feNi());
    }

    private static ProcessParameter.Builder continuous(String name, double min, double max) {
        return ProcessParameter.newBuilder().setName(name).setUnit("K")
                .setContinuous(ContinuousDomain.newBuilder().setMin(min).setMax(max));
    }

    private static Variable element(String symbol) {
        return Variable.newBuilder().setElement(symbol).build();
    }

    private static Candidate.Builder candidate(String id, String formula) {
        return Candidate.newBuilder().setId(id).setFormula(formula);
    }

    private static CampaignSpec.Builder explicit(Candidate.Builder... candidates) {
        ExplicitCandidates.Builder list = ExplicitCandidates.newBuilder();
        for (Candidate.Builder c : candidates) {
            list.addCandidates(c);
        }
        return spec().setDesignSpace(DesignSpace.newBuilder().setExplicit(list));
    }

    private static CampaignSpec.Builder withModels(Map<String, String> ids) {
        return spec().setSurrogate(SurrogateSpec.newBuilder()
                .setPredictionModel(PredictionModelSurrogate.newBuilder().putAllModelIds(ids)));
    }

    private static List<FieldViolation> problems(CampaignSpec.Builder spec) {
        ApiException e = assertThrows(ApiException.class, () -> SpecMapper.plan(spec.build()));
        assertEquals(ApiException.Kind.INVALID_ARGUMENT, e.kind());
        return e.violations();
    }

    /** The spec is refused for exactly this one reason, and the message says it. */
    private static void refused(CampaignSpec.Builder spec, String field, String reason) {
        ApiException e = assertThrows(ApiException.class, () -> SpecMapper.plan(spec.build()));
        assertEquals(ApiException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals(List.of(new FieldViolation(field, reason)), e.violations());
        assertEquals(field + ": " + reason, e.getMessage());
    }

    @Test
    void aMinimalSpecGetsTheContractsDefaults() {
        Plan plan = SpecMapper.plan(spec().build());
        assertEquals(List.of(new Plan.Objective("hardness", Plan.Direction.MAXIMISE, null, "", 1, null)),
                plan.objectives());
        assertEquals(GaussianProcess.Options.defaults(), plan.surrogate());
        assertEquals(new Acquisition(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, 2, 0, false), plan.acquisition());
        assertEquals(BatchSelector.Strategy.KRIGING_BELIEVER, plan.batchStrategy());
        assertEquals(1, plan.batchSize());
        assertEquals(2, plan.initialPoints());
        assertEquals(SpecMapper.DEFAULT_MAX_SCORED, plan.maxScored());
        assertNull(plan.maxExperiments());
        assertNull(plan.maxCost());
        assertEquals(new Plan.Cost(0, Map.of(), ""), plan.cost());
        assertTrue(plan.models().isEmpty());
        assertFalse(plan.modelSurrogate());
        assertEquals(0, plan.seed(), "a spec read before withDefaults has the proto default");
        // the composition grid: quarters of Fe-Ni
        assertEquals(5, plan.space().pool(100, new SplittableRandom(1)).size());
        assertFalse(plan.space().isExplicit());
    }

    @Test
    void withDefaultsChoosesASeedAndTheInitialPointsOnlyWhenAbsent() {
        CampaignSpec filled = SpecMapper.withDefaults(spec().build(), 77);
        assertEquals(77, filled.getSeed());
        assertEquals(2, filled.getInitialRandomPoints());
        CampaignSpec kept = SpecMapper.withDefaults(spec().setSeed(5).setInitialRandomPoints(4).build(), 77);
        assertEquals(5, kept.getSeed());
        assertEquals(4, kept.getInitialRandomPoints());
        assertEquals(5, SpecMapper.plan(kept).seed());
        assertEquals(4, SpecMapper.plan(kept).initialPoints());
    }

    @Test
    void everyFieldIsReadIntoThePlan() {
        CampaignSpec spec = spec().setSeed(9).setInitialRandomPoints(3)
                .setObjectives(0, objective("hardness").setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_TARGET)
                        .setTarget(5).setUnit("GPa").setWeight(2).setReference(1))
                .setCost(CostModel.newBuilder().setFixed(10).setUnit("EUR")
                        .addTerms(LinearTerm.newBuilder().setVariable(element("Ni")).setCoefficient(2))
                        .addTerms(LinearTerm.newBuilder().setVariable(element("Ni")).setCoefficient(3))
                        .addTerms(LinearTerm.newBuilder().setVariable(Variable.newBuilder().setParameter("time"))
                                .setCoefficient(0.5)))
                .setBudget(Budget.newBuilder().setMaxExperiments(40).setMaxCost(1000))
                .setSurrogate(SurrogateSpec.newBuilder().setGaussianProcess(GaussianProcessSurrogate.newBuilder()
                        .setRestarts(0).setNoiseVariance(0.01).setWarpOutputs(false)))
                .setAcquisition(AcquisitionSpec.newBuilder()
                        .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_UPPER_CONFIDENCE_BOUND).setUcbBeta(0)
                        .setXi(0.1).setBatchSize(1000).setCostAware(true).setMaxScoredCandidates(1_000_000)
                        .setBatchStrategy(BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION))
                .build();
        Plan plan = SpecMapper.plan(spec);
        assertEquals(List.of(new Plan.Objective("hardness", Plan.Direction.TARGET, 5.0, "GPa", 2, 1.0)),
                plan.objectives());
        assertEquals(new Plan.Cost(10, Map.of("Ni", 5.0, "time", 0.5), "EUR"), plan.cost(), "terms on one variable add");
        assertEquals(40, plan.maxExperiments());
        assertEquals(1000.0, plan.maxCost());
        assertEquals(new GaussianProcess.Options(0, 0.01, 100, false), plan.surrogate());
        assertEquals(new Acquisition(Acquisition.Function.UPPER_CONFIDENCE_BOUND, 0, 0.1, true), plan.acquisition());
        assertEquals(BatchSelector.Strategy.LOCAL_PENALISATION, plan.batchStrategy());
        assertEquals(1000, plan.batchSize());
        assertEquals(1_000_000, plan.maxScored());
        assertEquals(3, plan.initialPoints());
        assertEquals(9, plan.seed());
    }

    @Test
    void eachAcquisitionFunctionMapsToItsDomainFunction() {
        Map<AcquisitionFunction, Acquisition.Function> expected = Map.of(
                AcquisitionFunction.ACQUISITION_FUNCTION_UNSPECIFIED, Acquisition.Function.LOG_EXPECTED_IMPROVEMENT,
                AcquisitionFunction.ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT,
                Acquisition.Function.LOG_EXPECTED_IMPROVEMENT,
                AcquisitionFunction.ACQUISITION_FUNCTION_PAREGO, Acquisition.Function.LOG_EXPECTED_IMPROVEMENT,
                AcquisitionFunction.ACQUISITION_FUNCTION_UPPER_CONFIDENCE_BOUND,
                Acquisition.Function.UPPER_CONFIDENCE_BOUND,
                AcquisitionFunction.ACQUISITION_FUNCTION_PROBABILITY_OF_IMPROVEMENT,
                Acquisition.Function.PROBABILITY_OF_IMPROVEMENT,
                AcquisitionFunction.ACQUISITION_FUNCTION_THOMPSON_SAMPLING, Acquisition.Function.THOMPSON_SAMPLING,
                AcquisitionFunction.ACQUISITION_FUNCTION_PURE_EXPLORATION, Acquisition.Function.PURE_EXPLORATION,
                AcquisitionFunction.ACQUISITION_FUNCTION_RANDOM, Acquisition.Function.RANDOM);
        expected.forEach((wire, domain) -> assertEquals(domain, SpecMapper.plan(spec()
                .setAcquisition(AcquisitionSpec.newBuilder().setFunction(wire)).build()).acquisition().function(),
                wire.name()));
    }

    @Test
    void twoObjectivesDefaultToExpectedHypervolumeImprovementUnlessBatchesArePenalised() {
        CampaignSpec.Builder two = spec().addObjectives(objective("density")
                .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MINIMISE));
        assertEquals(Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT,
                SpecMapper.plan(two.build()).acquisition().function());
        Plan penalised = SpecMapper.plan(two.clone().setAcquisition(AcquisitionSpec.newBuilder()
                .setBatchStrategy(BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION)).build());
        assertEquals(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, penalised.acquisition().function());
        assertEquals(BatchSelector.Strategy.LOCAL_PENALISATION, penalised.batchStrategy());
        assertEquals(Plan.Direction.MINIMISE, penalised.objectives().get(1).direction());
        refused(two.clone().setAcquisition(AcquisitionSpec.newBuilder()
                .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT)
                .setBatchStrategy(BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION)), "spec.acquisition.batch_strategy",
                "expected hypervolume improvement fills a batch by the kriging believer on the Pareto front; leave "
                        + "the strategy unset");
        // three objectives: log EI on ParEGO scalarisations
        assertEquals(Acquisition.Function.LOG_EXPECTED_IMPROVEMENT, SpecMapper.plan(two.clone()
                .addObjectives(objective("cost_index")).build()).acquisition().function());
    }

    @Test
    void expectedHypervolumeImprovementNeedsExactlyTwoObjectives() {
        AcquisitionSpec.Builder ehvi = AcquisitionSpec.newBuilder()
                .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT);
        refused(spec().setAcquisition(ehvi), "spec.acquisition.function",
                "expected hypervolume improvement is computed for two objectives; this spec has 1 (use "
                        + "LOG_EXPECTED_IMPROVEMENT)");
        refused(spec().addObjectives(objective("density")).addObjectives(objective("price")).setAcquisition(ehvi),
                "spec.acquisition.function", "expected hypervolume improvement is computed for two objectives; this "
                        + "spec has 3 (use PAREGO)");
        refused(spec().setAcquisition(AcquisitionSpec.newBuilder().setFunctionValue(99)), "spec.acquisition.function",
                "unknown acquisition function UNRECOGNIZED");
    }

    @Test
    void objectivesAreChecked() {
        refused(spec().setName("  "), "spec.name", "a campaign needs a name");
        refused(spec().clearObjectives(), "spec.objectives", "at least one objective is required");
        refused(spec().setObjectives(0, objective("Hardness")), "spec.objectives[0].property",
                "'Hardness' is not a property name (lower snake case)");
        refused(spec().setObjectives(0, objective("")), "spec.objectives[0].property",
                "'' is not a property name (lower snake case)");
        refused(spec().addObjectives(objective("hardness")), "spec.objectives[1].property",
                "property hardness is already an objective");
        refused(spec().setObjectives(0, objective("hardness")
                .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_UNSPECIFIED)), "spec.objectives[0].direction",
                "maximise, minimise or target");
        refused(spec().setObjectives(0, objective("hardness")
                .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_TARGET)), "spec.objectives[0].target",
                "a target objective needs a target");
        Units.UnitException unit = assertThrows(Units.UnitException.class, () -> Units.parse("zz!"));
        refused(spec().setObjectives(0, objective("hardness").setUnit("zz!")), "spec.objectives[0].unit",
                unit.getMessage());
        for (double weight : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            refused(spec().setObjectives(0, objective("hardness").setWeight(weight)), "spec.objectives[0].weight",
                    "must be positive");
        }
        for (double reference : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
            refused(spec().setObjectives(0, objective("hardness").setReference(reference)),
                    "spec.objectives[0].reference", "must be a finite number");
        }
    }

    @Test
    void costAndBudgetAreChecked() {
        refused(spec().setCost(CostModel.newBuilder().addTerms(LinearTerm.newBuilder().setVariable(element("Xx")))),
                "spec.cost.terms[0].variable.element", "'Xx' is not an element symbol");
        refused(spec().setCost(CostModel.newBuilder().addTerms(LinearTerm.newBuilder().setCoefficient(1))),
                "spec.cost.terms[0].variable", "names an element or a parameter");
        refused(spec().setCost(CostModel.newBuilder().setFixed(-0.5)), "spec.cost.fixed", "must not be negative");
        refused(spec().setBudget(Budget.newBuilder().setMaxExperiments(0)), "spec.budget.max_experiments",
                "must be at least 1");
        for (double cost : new double[] {0, -3, Double.NaN}) {
            refused(spec().setBudget(Budget.newBuilder().setMaxCost(cost)), "spec.budget.max_cost", "must be positive");
        }
    }

    @Test
    void theGaussianProcessSettingsAreChecked() {
        for (int restarts : new int[] {-1, 51}) {
            refused(spec().setSurrogate(SurrogateSpec.newBuilder().setGaussianProcess(GaussianProcessSurrogate
                    .newBuilder().setRestarts(restarts))), "spec.surrogate.gaussian_process.restarts", "must be 0 to 50");
        }
        for (double noise : new double[] {0, -0.1, 1.5, Double.NaN}) {
            refused(spec().setSurrogate(SurrogateSpec.newBuilder().setGaussianProcess(GaussianProcessSurrogate
                    .newBuilder().setNoiseVariance(noise))), "spec.surrogate.gaussian_process.noise_variance",
                    "must be in (0, 1] (standardised units)");
        }
        refused(spec().setSurrogate(SurrogateSpec.newBuilder().setGaussianProcess(GaussianProcessSurrogate.newBuilder()
                .setFeaturiser(FeaturiserRef.newBuilder().setId("magpie")))),
                "spec.surrogate.gaussian_process.featuriser",
                "featurised compositions are not supported yet; the GP uses atomic fractions");
        // an empty Gaussian process message is the defaults
        assertEquals(GaussianProcess.Options.defaults(), SpecMapper.plan(spec().setSurrogate(SurrogateSpec.newBuilder()
                .setGaussianProcess(GaussianProcessSurrogate.newBuilder())).build()).surrogate());
        assertEquals(new GaussianProcess.Options(50, 1.0, 100, true), SpecMapper.plan(spec().setSurrogate(SurrogateSpec
                .newBuilder().setGaussianProcess(GaussianProcessSurrogate.newBuilder().setRestarts(50)
                        .setNoiseVariance(1))).build()).surrogate());
    }

    @Test
    void acquisitionSettingsAreChecked() {
        for (double beta : new double[] {-1, Double.NaN}) {
            refused(spec().setAcquisition(AcquisitionSpec.newBuilder().setUcbBeta(beta)), "spec.acquisition.ucb_beta",
                    "must not be negative");
        }
        refused(spec().setAcquisition(AcquisitionSpec.newBuilder().setXi(-0.01)), "spec.acquisition.xi",
                "must not be negative");
        for (int size : new int[] {0, -1, 1001}) {
            refused(spec().setAcquisition(AcquisitionSpec.newBuilder().setBatchSize(size)),
                    "spec.acquisition.batch_size", "must be 1 to 1000");
        }
        for (int scored : new int[] {0, 1_000_001}) {
            refused(spec().setAcquisition(AcquisitionSpec.newBuilder().setMaxScoredCandidates(scored)),
                    "spec.acquisition.max_scored_candidates", "must be 1 to 1000000");
        }
        refused(spec().setInitialRandomPoints(0), "spec.initial_random_points", "must be at least 1");
    }

    @Test
    void priorDataNamesAtMostTwentyDatasetsByIdAndVersion() {
        CampaignSpec.Builder many = spec();
        for (int i = 0; i < 21; i++) {
            many.addPriorData(DatasetRef.newBuilder().setDatasetId(UUID.randomUUID().toString()));
        }
        refused(many, "spec.prior_data", "at most 20 datasets");
        refused(spec().addPriorData(DatasetRef.newBuilder().setDatasetId("d1")), "spec.prior_data[0].dataset_id",
                "'d1' is not a dataset id");
        // a string UUID.fromString would take, but not the 36-character form
        refused(spec().addPriorData(DatasetRef.newBuilder().setDatasetId("1-1-1-1-1")),
                "spec.prior_data[0].dataset_id", "'1-1-1-1-1' is not a dataset id");
        refused(spec().addPriorData(DatasetRef.newBuilder().setDatasetId(MODEL).setVersion(0)),
                "spec.prior_data[0].version", "must be at least 1");
        SpecMapper.plan(spec().addPriorData(DatasetRef.newBuilder().setDatasetId(MODEL).setVersion(1)).build());
    }

    @Test
    void predictionModelsServeOneOrTwoObjectivesOverCompositionsOnly() {
        Plan plan = SpecMapper.plan(withModels(Map.of("hardness", MODEL)).build());
        assertEquals(Map.of("hardness", MODEL), plan.models());
        assertTrue(plan.modelSurrogate());
        assertEquals(GaussianProcess.Options.defaults(), plan.surrogate(), "the residual process takes the defaults");
        String path = "spec.surrogate.prediction_model";
        refused(withModels(Map.of()), path + ".model_ids[hardness]", "name the model of the objective hardness");
        refused(withModels(Map.of("hardness", "m1")), path + ".model_ids[hardness]", "'m1' is not a model id");
        refused(withModels(Map.of("hardness", MODEL, "density", OTHER_MODEL)), path + ".model_ids[density]",
                "no objective density");
        refused(withModels(Map.of("hardness", MODEL, "density", OTHER_MODEL, "price", MODEL))
                .addObjectives(objective("density")).addObjectives(objective("price")), path,
                "prediction models serve one or two objectives; three or more need the Gaussian processes (ParEGO)");
        refused(withModels(Map.of("hardness", MODEL, "density", OTHER_MODEL)).addObjectives(objective("density"))
                .setAcquisition(AcquisitionSpec.newBuilder()
                        .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_UPPER_CONFIDENCE_BOUND)),
                "spec.acquisition.function", "two objectives from prediction models are chosen by expected "
                        + "hypervolume improvement; leave the function unset");
        assertEquals(Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT, SpecMapper.plan(withModels(
                Map.of("hardness", MODEL, "density", OTHER_MODEL)).addObjectives(objective("density")).build())
                .acquisition().function());
        refused(withModels(Map.of("hardness", MODEL)).setSurrogate(SurrogateSpec.newBuilder().setPredictionModel(
                PredictionModelSurrogate.newBuilder().putModelIds("hardness", MODEL).setRetrain(true))),
                path + ".retrain", "retraining the models from the campaign's results is not supported yet; leave it "
                        + "false (the planner corrects the fixed models with a Gaussian process on the campaign's "
                        + "residuals)");
        String compositionsOnly = "a prediction model predicts from the composition alone: the design space needs "
                + "compositions and no process parameters";
        refused(withModels(Map.of("hardness", MODEL)).setDesignSpace(feNi().addParameters(continuous("temperature",
                600, 800))), path, compositionsOnly);
        refused(withModels(Map.of("hardness", MODEL)).setDesignSpace(DesignSpace.newBuilder()
                .addParameters(continuous("temperature", 600, 800))), path, compositionsOnly);
        String notYet = "with prediction models, Thompson sampling and local penalisation are not available yet; use "
                + "kriging-believer batches";
        refused(withModels(Map.of("hardness", MODEL)).setAcquisition(AcquisitionSpec.newBuilder()
                .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_THOMPSON_SAMPLING)), "spec.acquisition", notYet);
        refused(withModels(Map.of("hardness", MODEL)).setAcquisition(AcquisitionSpec.newBuilder()
                .setBatchStrategy(BatchStrategy.BATCH_STRATEGY_LOCAL_PENALISATION)), "spec.acquisition", notYet);
    }

    @Test
    void processParametersAreCheckedAndRead() {
        String p = "spec.design_space.parameters[0]";
        refused(spec().setDesignSpace(feNi().addParameters(continuous("Temp", 600, 800))), p + ".name",
                "'Temp' is not lower snake case");
        refused(spec().setDesignSpace(feNi().addParameters(continuous("temperature", 600, 800))
                .addParameters(continuous("temperature", 0, 1))), "spec.design_space.parameters[1].name",
                "parameter temperature is declared twice");
        refused(spec().setDesignSpace(feNi().addParameters(continuous("temperature", 800, 600))), p + ".continuous",
                "needs finite min <= max");
        refused(spec().setDesignSpace(feNi().addParameters(continuous("temperature", 600, Double.POSITIVE_INFINITY))),
                p + ".continuous", "needs finite min <= max");
        refused(spec().setDesignSpace(feNi().addParameters(continuous("temperature", Double.NaN, 800))),
                p + ".continuous", "needs finite min <= max");
        refused(spec().setDesignSpace(feNi().addParameters(continuous("temperature", 600, 800)
                .setContinuous(ContinuousDomain.newBuilder().setMin(600).setMax(800).setStep(0)))),
                p + ".continuous.step", "must be positive");
        refused(spec().setDesignSpace(feNi().addParameters(continuous("pressure", 0, 10)
                .setContinuous(ContinuousDomain.newBuilder().setMin(0).setMax(10).setLogScale(true)))),
                p + ".continuous.log_scale", "a log scale needs min > 0");
        refused(spec().setDesignSpace(feNi().addParameters(ProcessParameter.newBuilder().setName("time")
                .setInteger(IntegerDomain.newBuilder().setMin(5).setMax(1)))), p + ".integer",
                "needs min <= max and step >= 1");
        refused(spec().setDesignSpace(feNi().addParameters(ProcessParameter.newBuilder().setName("time")
                .setInteger(IntegerDomain.newBuilder().setMin(1).setMax(5).setStep(0)))), p + ".integer",
                "needs min <= max and step >= 1");
        refused(spec().setDesignSpace(feNi().addParameters(ProcessParameter.newBuilder().setName("atmosphere")
                .setCategorical(CategoricalDomain.newBuilder()))), p + ".categorical.values",
                "needs at least one value and no value twice");
        refused(spec().setDesignSpace(feNi().addParameters(ProcessParameter.newBuilder().setName("atmosphere")
                .setCategorical(CategoricalDomain.newBuilder().addValues("air").addValues("air")))),
                p + ".categorical.values", "needs at least one value and no value twice");
        refused(spec().setDesignSpace(feNi().addParameters(ProcessParameter.newBuilder().setName("atmosphere"))), p,
                "needs a continuous, integer or categorical domain");

        // valid: each kind read with its unit, step and scale; the integer step defaults to 1
        Plan plan = SpecMapper.plan(spec().setDesignSpace(DesignSpace.newBuilder()
                .addParameters(continuous("temperature", 600, 800)
                        .setContinuous(ContinuousDomain.newBuilder().setMin(600).setMax(800).setStep(100)))
                .addParameters(ProcessParameter.newBuilder().setName("pressure").setUnit("Pa")
                        .setContinuous(ContinuousDomain.newBuilder().setMin(1).setMax(100).setLogScale(true)))
                .addParameters(ProcessParameter.newBuilder().setName("time").setUnit("h")
                        .setInteger(IntegerDomain.newBuilder().setMin(1).setMax(3)))
                .addParameters(ProcessParameter.newBuilder().setName("atmosphere")
                        .setCategorical(CategoricalDomain.newBuilder().addValues("argon").addValues("air"))))
                .build());
        assertEquals(List.of(new org.mihub.planning.space.DesignSpace.Continuous("temperature", "K", 600, 800, 100.0,
                false), new org.mihub.planning.space.DesignSpace.Continuous("pressure", "Pa", 1, 100, null, true),
                new org.mihub.planning.space.DesignSpace.IntegerRange("time", "h", 1, 3, 1),
                new org.mihub.planning.space.DesignSpace.Categorical("atmosphere", List.of("argon", "air"))),
                plan.space().parameters());
        assertFalse(plan.space().hasComposition(), "process parameters alone are a design space");
    }

    @Test
    void explicitCandidatesAreCheckedOneByOne() {
        String c = "spec.design_space.explicit.candidates";
        refused(explicit(), c, "the list is empty");
        refused(explicit(candidate("c1", "Fe"), candidate("c1", "Ni")), c + "[1].id", "id c1 is used twice");
        FormulaException formula = assertThrows(FormulaException.class, () -> FormulaParser.parse("Fe2Xx"));
        refused(explicit(candidate("c1", "Fe2Xx")), c + "[0].formula",
                "position " + formula.position() + ": " + formula.reason());
        refused(explicit(Candidate.newBuilder().setId("c1").putComposition("Fe", 0.5).putComposition("Xx", 0.5)),
                c + "[0].composition[Xx]", "not an element symbol");
        refused(explicit(Candidate.newBuilder().setId("c1").putComposition("Fe", 1.5).putComposition("Ni", -0.5)),
                c + "[0].composition[Ni]", "must not be negative");
        refused(explicit(Candidate.newBuilder().setId("c1").putComposition("Fe", 0.5).putComposition("Ni", 0.25)),
                c + "[0].composition", "fractions sum to 0.75, not 1");
        refused(explicit(candidate("", "Fe")), c + "[0].id", "explicit candidates need an id");
        refused(explicit(candidate("c1", "Fe").setCost(-1)), c + "[0].cost", "must not be negative");
        // parameters: every declared one needs a value in its domain, no undeclared one
        DesignSpace.Builder withTemperature = DesignSpace.newBuilder()
                .addParameters(continuous("temperature", 600, 800));
        refused(spec().setDesignSpace(withTemperature.clone().setExplicit(ExplicitCandidates.newBuilder()
                .addCandidates(candidate("c1", "Fe")))), c + "[0].parameters[temperature]",
                "parameter temperature has no value");
        refused(spec().setDesignSpace(withTemperature.clone().setExplicit(ExplicitCandidates.newBuilder()
                .addCandidates(candidate("c1", "Fe").putParameters("temperature", number(900))))),
                c + "[0].parameters[temperature]", "parameter temperature = 900.0 outside [600.0, 800.0]");
        refused(spec().setDesignSpace(withTemperature.clone().setExplicit(ExplicitCandidates.newBuilder()
                .addCandidates(candidate("c1", "Fe").putParameters("temperature",
                        ParameterValue.newBuilder().setInteger(700).build())))),
                c + "[0].parameters[temperature]", "parameter temperature needs a number");
        refused(spec().setDesignSpace(withTemperature.clone().setExplicit(ExplicitCandidates.newBuilder()
                .addCandidates(candidate("c1", "Fe").putParameters("temperature", number(700))
                        .putParameters("pressure", number(1))))),
                c + "[0].parameters[pressure]", "no parameter pressure is declared");
        // every problem of every candidate is reported at once
        List<FieldViolation> all = problems(explicit(candidate("", "Fe").setCost(-1), candidate("c2", "Q")));
        assertEquals(List.of(c + "[0].id", c + "[0].cost", c + "[1].formula"),
                all.stream().map(FieldViolation::field).toList());
    }

    @Test
    void explicitCandidatesBecomeThePoolAsGiven() {
        Plan plan = SpecMapper.plan(spec().setDesignSpace(DesignSpace.newBuilder()
                .addParameters(continuous("temperature", 600, 800))
                .addParameters(ProcessParameter.newBuilder().setName("time")
                        .setInteger(IntegerDomain.newBuilder().setMin(1).setMax(5)))
                .addParameters(ProcessParameter.newBuilder().setName("atmosphere")
                        .setCategorical(CategoricalDomain.newBuilder().addValues("argon").addValues("air")))
                .setExplicit(ExplicitCandidates.newBuilder()
                        .addCandidates(candidate("a", "FeNi3").setCost(12).setMaterialId("m-a")
                                .putParameters("temperature", number(650)).putParameters("time", integer(2))
                                .putParameters("atmosphere", category("air")))
                        // the formula wins over the map when both are given
                        .addCandidates(candidate("b", "Fe").putComposition("Ni", 1)
                                .putParameters("temperature", number(800)).putParameters("time", integer(5))
                                .putParameters("atmosphere", category("argon")))))
                .build());
        assertTrue(plan.space().isExplicit());
        List<Point> pool = plan.space().pool(1, new SplittableRandom(1));
        assertEquals(List.of("a", "b"), pool.stream().map(Point::id).toList());
        Point a = pool.get(0);
        assertEquals(Map.of("Fe", 0.25, "Ni", 0.75), a.composition());
        assertEquals(Map.of("temperature", 650.0, "time", 2L, "atmosphere", "air"), a.parameters());
        assertEquals(12.0, a.cost());
        assertEquals("m-a", a.materialId());
        assertEquals(Map.of("Fe", 1.0), pool.get(1).composition());
        assertNull(pool.get(1).cost());
        assertEquals(12.0, plan.cost().of(a), "a candidate's own cost overrides the cost model");
    }

    @Test
    void aCompositionSpaceIsChecked() {
        String e = "spec.design_space.composition";
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Xx", 0, 1)).addElements(bound("Fe", 0, 1)))), e + ".elements[0].element",
                "'Xx' is not an element symbol");
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Fe", 0, 0.5)).addElements(bound("Fe", 0, 0.5)))), e + ".elements[1].element",
                "Fe is listed twice");
        String bounds = "needs 0 <= min_fraction <= max_fraction <= 1";
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Fe", 0.6, 0.4)).addElements(bound("Ni", 0, 1)))), e + ".elements[0].max_fraction",
                bounds);
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Fe", -0.1, 0.5)).addElements(bound("Ni", 0, 1)))), e + ".elements[0].max_fraction",
                bounds);
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Fe", 0, 0.5)).addElements(bound("Ni", 0, 1.5)))), e + ".elements[1].max_fraction",
                bounds);
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder())),
                e + ".elements", "no elements");
        String sums = "no composition within these bounds sums to 1";
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Fe", 0.6, 1)).addElements(bound("Ni", 0.6, 1)))), e + ".elements", sums);
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(bound("Fe", 0, 0.3)).addElements(bound("Ni", 0, 0.3)))), e + ".elements", sums);
        for (double step : new double[] {0.3, 0, -0.25, 1.5}) {
            refused(spec().setDesignSpace(feNi().setComposition(feNi().getComposition().toBuilder().setStep(step))),
                    e + ".step", "must divide 1 into whole steps, e.g. 0.05");
        }
        String count = "needs 1 <= min_elements <= max_elements";
        refused(spec().setDesignSpace(feNi().setComposition(feNi().getComposition().toBuilder().setMaxElements(0))),
                e + ".max_elements", count);
        refused(spec().setDesignSpace(feNi().setComposition(feNi().getComposition().toBuilder().setMinElements(2)
                .setMaxElements(1))), e + ".max_elements", count);
        // exact bounds that just reach 1 are feasible: one point
        Plan tight = SpecMapper.plan(spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace
                .newBuilder().addElements(bound("Fe", 0.25, 0.25)).addElements(bound("Ni", 0.75, 0.75))
                .setStep(0.25))).build());
        assertEquals(List.of("Fe0.25Ni0.75"), tight.space().pool(10, new SplittableRandom(1)).stream()
                .map(Point::formula).toList());
        // at least two elements: the pure ends go
        Plan binary = SpecMapper.plan(spec().setDesignSpace(feNi().setComposition(feNi().getComposition().toBuilder()
                .setMinElements(2))).build());
        assertEquals(3, binary.space().pool(10, new SplittableRandom(1)).size());
    }

    @Test
    void catalogCandidatesAreResolvedByThePlannerOnly() {
        String root = "spec.design_space";
        CampaignSpec asked = spec().setDesignSpace(DesignSpace.newBuilder().setCatalog(CatalogCandidates.newBuilder()
                .addResolved(candidate("m1", "Fe")))).build();
        ApiException e = assertThrows(ApiException.class, () -> SpecMapper.checkRequest(asked));
        assertEquals(List.of(new FieldViolation(root + ".catalog.resolved",
                "is filled in by the planner from the query; leave it empty")), e.violations());
        SpecMapper.checkRequest(spec().build());
        SpecMapper.checkRequest(spec().setDesignSpace(DesignSpace.newBuilder().setCatalog(CatalogCandidates
                .newBuilder())).build());

        refused(spec().setDesignSpace(DesignSpace.newBuilder().setCatalog(CatalogCandidates.newBuilder())),
                root + ".catalog.query", "the search finds no material with a composition that the creator may see");
        for (int max : new int[] {0, SpecMapper.MAX_CATALOG_CANDIDATES + 1}) {
            refused(spec().setDesignSpace(DesignSpace.newBuilder().setCatalog(CatalogCandidates.newBuilder()
                    .setMaxCandidates(max).addResolved(candidate("m1", "Fe")))), root + ".catalog.max_candidates",
                    "must be 1 to 1000000");
        }
        refused(spec().setDesignSpace(DesignSpace.newBuilder().addParameters(continuous("temperature", 600, 800))
                .setCatalog(CatalogCandidates.newBuilder().addResolved(candidate("m1", "Fe")))), root + ".parameters",
                "catalog candidates cannot be combined with process parameters yet; list the combinations as "
                        + "explicit candidates");
        refused(spec().setDesignSpace(DesignSpace.newBuilder().setCatalog(CatalogCandidates.newBuilder()
                .addResolved(candidate("m1", "Fe")).addResolved(candidate("", "Ni")))),
                root + ".catalog.resolved[1].id", "explicit candidates need an id");
        Plan plan = SpecMapper.plan(spec().setDesignSpace(DesignSpace.newBuilder().setCatalog(CatalogCandidates
                .newBuilder().addResolved(candidate("m1", "Fe").setMaterialId("m1"))
                .addResolved(candidate("m2", "FeNi").setMaterialId("m2")))).build());
        assertTrue(plan.space().isExplicit());
        assertEquals(List.of("Fe1", "Fe0.5Ni0.5"), plan.space().pool(10, new SplittableRandom(1)).stream()
                .map(Point::formula).toList());
    }

    @Test
    void aDesignSpaceNeedsCandidatesCompositionsOrParameters() {
        refused(spec().setDesignSpace(DesignSpace.newBuilder()), "spec.design_space",
                "give explicit candidates, a composition space or process parameters");
        refused(spec().clearDesignSpace(), "spec.design_space",
                "give explicit candidates, a composition space or process parameters");
    }

    @Test
    void constraintsAreCheckedAndBecomeRulesOfTheSpace() {
        String k = "spec.constraints[0]";
        refused(spec().addConstraints(Constraint.newBuilder().setLinear(LinearConstraint.newBuilder()
                .addTerms(LinearTerm.newBuilder().setVariable(element("Xx")).setCoefficient(1))
                .addTerms(LinearTerm.newBuilder().setVariable(element("Fe")).setCoefficient(1))
                .setRelation(ConstraintRelation.CONSTRAINT_RELATION_LESS_EQUAL))), k + ".linear.terms[0].variable.element",
                "'Xx' is not an element symbol");
        refused(spec().addConstraints(Constraint.newBuilder().setLinear(LinearConstraint.newBuilder()
                .addTerms(LinearTerm.newBuilder().setVariable(element("Fe")).setCoefficient(1)))),
                k + ".linear.relation", "<=, >= or =");
        refused(spec().addConstraints(Constraint.newBuilder().setLinear(LinearConstraint.newBuilder()
                .setRelation(ConstraintRelation.CONSTRAINT_RELATION_EQUAL))), k + ".linear.terms", "no terms");
        refused(spec().addConstraints(Constraint.newBuilder().setNChooseK(NChooseKConstraint.newBuilder()
                .addVariables(element("Fe")).setMinPresent(2).setMaxPresent(1))), k + ".n_choose_k.max_present",
                "needs 0 <= min_present <= max_present");
        refused(spec().addConstraints(Constraint.newBuilder().setNChooseK(NChooseKConstraint.newBuilder()
                .addVariables(element("Fe")).setMaxPresent(-1))), k + ".n_choose_k.max_present",
                "needs 0 <= min_present <= max_present");
        refused(spec().addConstraints(Constraint.newBuilder().setNChooseK(NChooseKConstraint.newBuilder()
                .addVariables(Variable.newBuilder()).setMaxPresent(1))), k + ".n_choose_k.variables[0]",
                "names an element or a parameter");
        refused(spec().addConstraints(Constraint.newBuilder().setExcludedElements(ExcludedElements.newBuilder()
                .addElements("Pb").addElements("Xx"))), k + ".excluded_elements.elements[1]",
                "'Xx' is not an element symbol");
        refused(spec().addConstraints(Constraint.newBuilder().setName("empty")), k,
                "needs linear, n_choose_k or excluded_elements");

        Plan plan = SpecMapper.plan(spec()
                .addConstraints(Constraint.newBuilder().setLinear(LinearConstraint.newBuilder()
                        .addTerms(LinearTerm.newBuilder().setVariable(element("Fe")).setCoefficient(1))
                        .setRelation(ConstraintRelation.CONSTRAINT_RELATION_LESS_EQUAL).setRhs(0.5)))
                .addConstraints(Constraint.newBuilder().setName("one").setNChooseK(NChooseKConstraint.newBuilder()
                        .addVariables(element("Fe")).addVariables(element("Ni")).setMaxPresent(1)))
                .addConstraints(Constraint.newBuilder().setExcludedElements(ExcludedElements.newBuilder()
                        .addElements("Pb")))
                .build());
        var space = plan.space();
        // an unnamed constraint is named by its position
        assertEquals("constraint 'constraint 1' does not hold (0.75 vs 0.5)",
                space.violation(Point.of(Map.of("Fe", 0.75, "Ni", 0.25), Map.of())));
        assertEquals("constraint 'one': 2 of its variables are non-zero, allowed 0..1",
                space.violation(Point.of(Map.of("Fe", 0.5, "Ni", 0.5), Map.of())));
        assertEquals("element Pb is excluded", space.violation(Point.of(Map.of("Pb", 1.0), Map.of())));
        // Fe at most a half and only one element: pure Ni is all that is left
        assertEquals(List.of("Ni1"), space.pool(10, new SplittableRandom(1)).stream().map(Point::formula).toList());
    }

    @Test
    void aSpaceThatExcludesEveryPointIsRefusedOnlyWhenNothingElseIsWrong() {
        CampaignSpec.Builder empty = spec().addConstraints(Constraint.newBuilder().setExcludedElements(ExcludedElements
                .newBuilder().addElements("Fe").addElements("Ni")));
        refused(empty, "spec.design_space", "no feasible candidate: the bounds and constraints exclude every point");
        // with another problem in the space the feasibility is not judged
        refused(empty.clone().addConstraints(Constraint.newBuilder()), "spec.constraints[1]",
                "needs linear, n_choose_k or excluded_elements");
    }

    @Test
    void severalProblemsAreReportedTogetherInOrder() {
        ApiException e = assertThrows(ApiException.class, () -> SpecMapper.plan(spec().setName("")
                .setBudget(Budget.newBuilder().setMaxExperiments(0))
                .setAcquisition(AcquisitionSpec.newBuilder().setBatchSize(0)).build()));
        assertEquals("3 problems in the campaign spec, first spec.name: a campaign needs a name", e.getMessage());
        assertEquals(List.of("spec.name", "spec.budget.max_experiments", "spec.acquisition.batch_size"),
                e.violations().stream().map(FieldViolation::field).toList());
    }

    @Test
    void parameterValuesConvertBothWays() {
        assertEquals(2.5, SpecMapper.value(number(2.5)));
        assertEquals(3L, SpecMapper.value(integer(3)));
        assertEquals("air", SpecMapper.value(category("air")));
        assertNull(SpecMapper.value(ParameterValue.getDefaultInstance()));
        assertEquals(number(2.5), SpecMapper.value((Object) 2.5));
        assertEquals(integer(3), SpecMapper.value((Object) 3L));
        assertEquals(category("air"), SpecMapper.value((Object) "air"));
    }

    private static ParameterValue number(double value) {
        return ParameterValue.newBuilder().setNumber(value).build();
    }

    private static ParameterValue integer(long value) {
        return ParameterValue.newBuilder().setInteger(value).build();
    }

    private static ParameterValue category(String value) {
        return ParameterValue.newBuilder().setCategory(value).build();
    }
}

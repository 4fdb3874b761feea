package org.mihub.planning.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.client.PredictionReader;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.planner.BatchPlanner;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;
import org.mihub.planning.space.DesignSpace;
import org.mihub.planning.space.Point;

/**
 * A campaign's next batch from what it has seen: its design space's candidates (sampled to
 * {@code max_scored_candidates} where the space is large), its observations (prior data and
 * results), the pending proposals as fantasies, costs and the budget left, and — with a prediction
 * model as the surrogate — the model's predictions, asked as the proposing caller. The choice itself
 * is the {@link BatchPlanner}'s, the same as a simulation's. Holds no database connection: the
 * proposer calls it between reading the campaign and committing the batch.
 */
@ApplicationScoped
public class CampaignPlanner {

    /** The chosen candidates in order with what the surrogates predict for them. */
    public record Chosen(List<Point> points, List<BatchSelector.Pick> picks, List<double[]> means,
            List<double[]> stds, List<BatchPlanner.Fit> fits, long scored, double fitSeconds, double selectSeconds,
            Acquisition.Function function, List<Double> success, List<Double> meets) {
    }

    @Inject
    PredictionReader predictions;

    private final int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private final ExecutorService compute = Executors.newFixedThreadPool(threads, runnable -> {
        Thread thread = new Thread(runnable, "planning-compute");
        thread.setDaemon(true);
        return thread;
    });
    private final BatchPlanner planner = new BatchPlanner(compute, threads);

    @PreDestroy
    void stop() {
        compute.shutdownNow();
    }

    public Chosen choose(Plan plan, List<ProposalRecord> all, List<PriorRecord> priors, int size, Progress progress,
            SplittableRandom random) {
        Setup setup = setup(plan, all, priors, size, progress, random);
        List<Point> pool = setup.pool();
        DesignSpace space = plan.space();
        BatchPlanner.Proposal proposal = planner.propose(setup.problem(), planner.freshFits(plan.surrogate()), random);
        // the budget in cost: keep picks in order while they fit
        List<Point> points = new ArrayList<>();
        List<BatchSelector.Pick> kept = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        List<double[]> stds = new ArrayList<>();
        List<Double> success = new ArrayList<>();
        List<Double> meets = new ArrayList<>();
        double left = progress.costRemaining() == null ? Double.POSITIVE_INFINITY : progress.costRemaining();
        for (int k = 0; k < proposal.picks().size(); k++) {
            BatchSelector.Pick pick = proposal.picks().get(k);
            Point point = pool.get(pick.index());
            double cost = plan.cost().of(point);
            if (cost > left + 1e-9) {
                continue;
            }
            left -= cost;
            String violation = space.violation(point);
            if (violation != null) {
                throw new IllegalStateException("a proposal violates the design space: " + violation);
            }
            points.add(point);
            kept.add(pick);
            means.add(proposal.mean()[k]);
            stds.add(proposal.std()[k]);
            success.add(proposal.success()[k]);
            meets.add(proposal.meets()[k]);
        }
        return new Chosen(points, kept, means, stds, proposal.fits(), pool.size(), proposal.fitSeconds(),
                proposal.selectSeconds(), proposal.function(), success, meets);
    }

    /**
     * The design the model believes best now (see {@link BatchPlanner#recommend}), with whether it
     * was already measured. The candidates are the ones a proposal would score (a large space
     * sampled with the campaign's seed), so the same state gives the same recommendation.
     */
    public record Recommended(Point point, boolean observed, BatchPlanner.Recommendation recommendation,
            int observations) {
    }

    public Recommended recommend(Plan plan, List<ProposalRecord> all, List<PriorRecord> priors, Progress progress) {
        SplittableRandom random = new SplittableRandom(plan.seed()).split();
        Setup setup = setup(plan, all, priors, 1, progress, random);
        BatchPlanner.Recommendation recommendation = planner.recommend(setup.problem(),
                planner.freshFits(plan.surrogate()), random);
        int row = recommendation.row();
        boolean observed = row >= setup.pool().size();
        Point point = observed ? setup.observed().get(row - setup.pool().size()) : setup.pool().get(row);
        // a pool candidate that was measured is an observed design too
        boolean measured = observed || setup.observed().stream().anyMatch(p -> p.id().equals(point.id()));
        return new Recommended(point, measured, recommendation, setup.observed().size());
    }

    /** The planner's problem for a campaign's state, with the pool it indexes and the observed designs. */
    record Setup(BatchPlanner.Problem problem, List<Point> pool, List<Point> observed) {
    }

    Setup setup(Plan plan, List<ProposalRecord> all, List<PriorRecord> priors, int size, Progress progress,
            SplittableRandom random) {
        DesignSpace space = plan.space();
        List<Point> pool = new ArrayList<>(space.pool(plan.maxScored(), random));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            index.put(pool.get(i).id(), i);
        }
        List<Point> observed = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        // the measured results' documents, per observation (null for prior data): constrained outcomes
        List<byte[]> results = new ArrayList<>();
        List<Point> failed = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        List<Integer> pending = new ArrayList<>();
        for (PriorRecord prior : priors) {
            Point point = Documents.point(prior.candidate());
            observed.add(point);
            values.add(prior.objectiveValues());
            results.add(null);
            blocked.add(point.id());
        }
        for (ProposalRecord proposal : all) {
            Point point = Documents.point(proposal.candidate());
            switch (proposal.state()) {
                case "COMPLETED" -> {
                    observed.add(point);
                    values.add(proposal.objectiveValues());
                    results.add(proposal.result());
                    blocked.add(point.id());
                }
                case "PENDING" -> {
                    blocked.add(point.id());
                    Integer at = index.get(point.id());
                    if (at == null) {
                        at = pool.size();
                        pool.add(point);
                        index.put(point.id(), at);
                    }
                    pending.add(at);
                }
                case "FAILED" -> {
                    // a failure that allows a retry was incidental: no evidence about the design
                    if (!proposal.retryAllowed()) {
                        blocked.add(point.id());
                        failed.add(point);
                    }
                }
                default -> {
                }
            }
        }
        boolean[] available = new boolean[pool.size()];
        for (int i = 0; i < pool.size(); i++) {
            available[i] = !blocked.contains(pool.get(i).id());
        }
        int d = space.dimensions();
        double[] encoded = new double[pool.size() * d];
        for (int i = 0; i < pool.size(); i++) {
            System.arraycopy(space.encode(pool.get(i)), 0, encoded, i * d, d);
        }
        double[] costs = null;
        if (plan.acquisition().costAware() || progress.costRemaining() != null) {
            costs = new double[pool.size()];
            for (int i = 0; i < pool.size(); i++) {
                costs[i] = Math.max(plan.cost().of(pool.get(i)), 1e-12);
                if (progress.costRemaining() != null && costs[i] > progress.costRemaining() + 1e-9) {
                    available[i] = false;
                }
            }
        }
        double[][] xs = observed.stream().map(space::encode).toArray(double[][]::new);
        List<BatchPlanner.ModelView> models = new ArrayList<>();
        int[] observedRows = new int[observed.size()];
        // random selection asks no model
        if (plan.modelSurrogate() && plan.acquisition().function() != Acquisition.Function.RANDOM) {
            // the models are asked for the candidates, then for the observed designs (rows beyond the pool)
            List<Map<String, Double>> compositions = new ArrayList<>(pool.size() + observed.size());
            pool.forEach(p -> compositions.add(p.composition()));
            observed.forEach(p -> compositions.add(p.composition()));
            for (Plan.Objective objective : plan.objectives()) {
                PredictionReader.Predicted predicted = predictedBy(plan, objective, compositions);
                models.add(new BatchPlanner.ModelView(Plan.prior(objective, predicted.mean(), predicted.std()),
                        predicted.mean(), predicted.std()));
            }
            for (int j = 0; j < observedRows.length; j++) {
                observedRows[j] = pool.size() + j;
            }
        }
        // a model surrogate has no random start, also when random selection leaves the models unasked
        int initialPoints = plan.modelSurrogate() ? 0 : plan.initialPoints();
        double[][] failedX = failed.stream().map(space::encode).toArray(double[][]::new);
        List<BatchPlanner.ConstraintSeries> constraints = new ArrayList<>();
        boolean[] meets = null;
        if (!plan.outcomeConstraints().isEmpty()) {
            meets = new boolean[observed.size()];
            java.util.Arrays.fill(meets, true);
            for (Plan.OutcomeConstraint constraint : plan.outcomeConstraints()) {
                List<double[]> at = new ArrayList<>();
                List<Double> measured = new ArrayList<>();
                for (int j = 0; j < observed.size(); j++) {
                    Double value = results.get(j) == null ? null
                            : Documents.measured(results.get(j), constraint.property(), constraint.unit());
                    if (value != null) {
                        at.add(xs[j]);
                        measured.add(value);
                        meets[j] &= constraint.holds(value);
                    } else {
                        // not measured: not known to meet it, so not an incumbent
                        meets[j] = false;
                    }
                }
                constraints.add(new BatchPlanner.ConstraintSeries(constraint, at.toArray(double[][]::new),
                        measured.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        BatchPlanner.Problem problem = new BatchPlanner.Problem(plan.objectives(), encoded, d, available,
                pending.stream().mapToInt(Integer::intValue).toArray(), xs, values, costs, plan.acquisition(),
                plan.batchStrategy(), plan.surrogate(), initialPoints, size, models,
                observedRows, true, failedX, constraints, meets);
        return new Setup(problem, pool, observed);
    }

    /** The objective's model's predictions for the compositions, asked as the caller, in the objective's unit. */
    private PredictionReader.Predicted predictedBy(Plan plan, Plan.Objective objective,
            List<Map<String, Double>> compositions) {
        String modelId = plan.models().get(objective.property());
        return predictions.predict(modelId, compositions, "spec.surrogate.prediction_model.model_ids["
                + objective.property() + "]").in(objective.unit(), modelId);
    }
}

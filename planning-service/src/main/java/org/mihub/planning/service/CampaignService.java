package org.mihub.planning.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.Transactions;
import org.mihub.common.units.Units;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.client.CatalogWriter;
import org.mihub.planning.client.PredictionReader;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.planning.acquisition.HypervolumeImprovement;
import org.mihub.common.gp.GaussianProcess;
import org.mihub.common.gp.PowerTransform;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.mapping.PriorMapper;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.CampaignRecord;
import org.mihub.planning.repository.CampaignRepository.PriorRecord;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;
import org.mihub.planning.space.DesignSpace;
import org.mihub.planning.space.Point;

/**
 * Campaigns and the ask/tell loop. Reading follows visibility (a hidden campaign is NOT_FOUND);
 * creating, proposing, reporting and changing status need the role {@code member} in the owning
 * organisation, or {@code admin}. Proposing and reporting lock the campaign row, so concurrent
 * requests see each other's proposals and never spend the budget twice; each runs in one
 * transaction, so a refused request changes nothing.
 */
@ApplicationScoped
public class CampaignService {

    /** Counters of a campaign. */
    public record Progress(int proposed, int pending, int completed, int failed, int cancelled, int batches,
            long observations, double costSpent, Integer experimentsRemaining, Double costRemaining) {
    }

    /** A campaign as read: its record, plan, counters, best so far, Pareto front and (full view) history. */
    public record CampaignView(CampaignRecord record, Plan plan, Progress progress, ProposalRecord best,
            List<ProposalRecord> paretoFront, List<ProposalRecord> history, boolean historyTruncated,
            List<PriorRecord> priors) {
    }

    /** Fit diagnostics of one surrogate. */
    public record Fit(String property, long observations, double[] lengthScales, double signalVariance,
            double noiseVariance, double logMarginalLikelihood) {
    }

    /** A proposed batch. */
    public record Batch(UUID campaignId, UUID batchId, List<ProposalRecord> proposals, List<Fit> fits, long scored,
            double fitSeconds, double selectSeconds, Progress progress) {
    }

    /** A value reported for one objective (or another property), in {@code unit}. */
    public record ReportedValue(String property, double value, String unit) {
    }

    /**
     * One reported outcome: measured values, or a failure (reason, retry allowed); the realised
     * parameters; the wire document to keep.
     */
    public record ReportedResult(String proposalId, List<ReportedValue> values, String failureReason,
            boolean retryAllowed, Map<String, Object> actualParameters, byte[] document) {
    }

    /** What happened to one reported result. */
    public record Ack(UUID proposalId, String state, boolean duplicate) {
    }

    /** The outcome of a tell. */
    public record Told(List<Ack> acks, CampaignView campaign) {
    }

    static final int HISTORY_LIMIT = 10_000;

    @Inject
    CampaignRepository repository;

    @Inject
    CatalogWriter catalog;

    @Inject
    PredictionReader predictions;

    private final ExecutorService compute = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread thread = new Thread(runnable, "planning-compute");
                thread.setDaemon(true);
                return thread;
            });

    @PreDestroy
    void stop() {
        compute.shutdownNow();
    }

    /** Checks that the caller may create a campaign for {@code ownerOrg} (empty: the caller's); returns the owner. */
    public String requireCreator(Caller caller, String ownerOrg) {
        String owner = ownerOrg.isEmpty() ? caller.org() : ownerOrg;
        requireMember(caller, owner);
        return owner;
    }

    /** Stores a new campaign with its prior observations, in one transaction. */
    public CampaignView create(Caller caller, String ownerOrg, byte[] specDocument, Plan plan, String name,
            String description, String resultsDatasetId, List<PriorMapper.Prior> priors) {
        String owner = requireCreator(caller, ownerOrg);
        CampaignRecord record = new CampaignRecord(UUID.randomUUID(), owner, name, description, "PRIVATE", List.of(),
                "ACTIVE", "", specDocument, 0, caller.subject(), java.time.Instant.now(), java.time.Instant.now(),
                resultsDatasetId);
        return inTransaction(connection -> {
            repository.insert(connection, record);
            List<PriorRecord> rows = new ArrayList<>();
            for (PriorMapper.Prior prior : priors) {
                rows.add(new PriorRecord(rows.size(), prior.datasetId(), prior.materialId(),
                        Documents.candidate(prior.point()), prior.values()));
            }
            repository.insertPriors(connection, record.id(), rows);
            return view(connection, repository.find(connection, record.id(), Optional.of(caller), false).orElseThrow(),
                    false);
        });
    }

    public CampaignView get(Optional<Caller> caller, UUID id, boolean full) {
        try (Connection connection = repository.connection()) {
            CampaignRecord record = repository.find(connection, id, caller, false)
                    .orElseThrow(() -> ApiException.notFound("campaign", id.toString()));
            return view(connection, record, full);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the campaign failed", e);
        }
    }

    public List<CampaignView> list(Optional<Caller> caller, String ownerOrg, String status, String text, int offset,
            int limit) {
        try (Connection connection = repository.connection()) {
            List<CampaignView> views = new ArrayList<>();
            for (CampaignRecord record : repository.list(caller, ownerOrg, status, text, offset, limit)) {
                views.add(view(connection, record, false));
            }
            return views;
        } catch (SQLException e) {
            throw new IllegalStateException("listing campaigns failed", e);
        }
    }

    public CampaignView updateStatus(Caller caller, UUID id, String status, String reason) {
        return inTransaction(connection -> {
            CampaignRecord record = repository.find(connection, id, Optional.of(caller), true)
                    .orElseThrow(() -> ApiException.notFound("campaign", id.toString()));
            requireMember(caller, record.ownerOrg());
            if (record.status().equals("COMPLETED") || record.status().equals("CANCELLED")) {
                if (!record.status().equals(status)) {
                    throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "campaign " + id + " is "
                            + record.status() + " and cannot become " + status, List.of());
                }
                return view(connection, record, false);
            }
            if (status.equals("CANCELLED")) {
                repository.cancelPending(connection, id);
            }
            repository.updateStatus(connection, id, status, reason.isBlank() ? "set by " + caller.subject() : reason);
            return view(connection, repository.find(connection, id, Optional.of(caller), false).orElseThrow(), false);
        });
    }

    public List<ProposalRecord> proposals(Optional<Caller> caller, UUID campaignId, String state, int offset,
            int limit) {
        try (Connection connection = repository.connection()) {
            repository.find(connection, campaignId, caller, false)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            return repository.proposals(connection, campaignId, state, null, offset, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("reading proposals failed", e);
        }
    }

    /** Ask: fits the surrogate to every result, takes pending proposals into account and proposes a batch. */
    public Batch propose(Caller caller, UUID campaignId, Integer requestedSize, String requestId) {
        return inTransaction(connection -> {
            CampaignRecord record = repository.find(connection, campaignId, Optional.of(caller), true)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            requireMember(caller, record.ownerOrg());
            if (!requestId.isEmpty()) {
                Optional<UUID> earlier = repository.batchForRequest(connection, campaignId, requestId);
                if (earlier.isPresent()) {
                    List<ProposalRecord> proposals = repository.proposals(connection, campaignId, "", earlier.get(), 0,
                            HISTORY_LIMIT);
                    return new Batch(campaignId, earlier.get(), proposals, List.of(), 0, 0, 0,
                            view(connection, record, false).progress());
                }
            }
            if (!record.status().equals("ACTIVE")) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "campaign " + campaignId + " is " + record.status() + ": no new proposals", List.of());
            }
            Plan plan = Documents.plan(record.spec());
            List<ProposalRecord> all = repository.proposals(connection, campaignId, "", null, 0, Integer.MAX_VALUE);
            List<PriorRecord> priors = repository.priors(connection, campaignId);
            Progress progress = progress(plan, record, all, priors.size());
            int size = requestedSize != null ? requestedSize : plan.batchSize();
            if (size < 1 || size > 1000) {
                throw ApiException.invalid("batch_size", "must be 1 to 1000");
            }
            if (progress.experimentsRemaining() != null) {
                size = Math.min(size, progress.experimentsRemaining());
            }
            if (size == 0 || progress.costRemaining() != null && progress.costRemaining() <= 0) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "the budget of campaign " + campaignId + " is spent", List.of());
            }
            int number = record.batches() + 1;
            SplittableRandom random = new SplittableRandom(plan.seed()).split();
            for (int i = 1; i < number; i++) {
                random = random.split();
            }
            Chosen chosen = choose(plan, all, priors, size, progress, random, number);
            if (chosen.points().isEmpty()) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "every feasible candidate of campaign " + campaignId + " has been proposed", List.of());
            }
            UUID batchId = UUID.randomUUID();
            List<ProposalRecord> proposals = new ArrayList<>();
            for (int i = 0; i < chosen.points().size(); i++) {
                Point point = chosen.points().get(i);
                BatchSelector.Pick pick = chosen.picks().get(i);
                proposals.add(new ProposalRecord(UUID.randomUUID(), campaignId, batchId, number, i, point.id(),
                        Documents.candidate(point), chosen.means().get(i), chosen.stds().get(i), pick.score(),
                        chosen.function().name(), plan.cost().of(point), "PENDING", false, null, null, null, null,
                        null));
            }
            repository.insertBatch(connection, campaignId, batchId, number, requestId, proposals);
            List<ProposalRecord> stored = repository.proposals(connection, campaignId, "", batchId, 0, HISTORY_LIMIT);
            all = repository.proposals(connection, campaignId, "", null, 0, Integer.MAX_VALUE);
            Progress after = progress(plan, record, all, priors.size());
            boolean spent = after.experimentsRemaining() != null && after.experimentsRemaining() == 0
                    || after.costRemaining() != null && after.costRemaining() <= 0;
            if (spent) {
                repository.updateStatus(connection, campaignId, "COMPLETED", "budget reached");
            }
            return new Batch(campaignId, batchId, stored, chosen.fits(), chosen.scored(), chosen.fitSeconds(),
                    chosen.selectSeconds(), after);
        });
    }

    private record Chosen(List<Point> points, List<BatchSelector.Pick> picks, List<double[]> means,
            List<double[]> stds, List<Fit> fits, long scored, double fitSeconds, double selectSeconds,
            Acquisition.Function function) {
    }

    private Chosen choose(Plan plan, List<ProposalRecord> all, List<PriorRecord> priors, int size, Progress progress,
            SplittableRandom random, int batchNumber) {
        long started = System.nanoTime();
        DesignSpace space = plan.space();
        List<Point> pool = new ArrayList<>(space.pool(plan.maxScored(), random));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            index.put(pool.get(i).id(), i);
        }
        List<Point> observed = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        List<Integer> pending = new ArrayList<>();
        for (PriorRecord prior : priors) {
            Point point = Documents.point(prior.candidate());
            observed.add(point);
            values.add(prior.objectiveValues());
            blocked.add(point.id());
        }
        for (ProposalRecord proposal : all) {
            Point point = Documents.point(proposal.candidate());
            switch (proposal.state()) {
                case "COMPLETED" -> {
                    observed.add(point);
                    values.add(proposal.objectiveValues());
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
                    if (!proposal.retryAllowed()) {
                        blocked.add(point.id());
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
        List<Plan.Objective> objectives = plan.objectives();
        double[][] xs = observed.stream().map(space::encode).toArray(double[][]::new);
        // a model knows something before the first result: no random start
        boolean initial = observed.size() < plan.initialPoints() && !plan.modelSurrogate();
        Acquisition acquisition = initial ? new Acquisition(Acquisition.Function.RANDOM, 0, 0, false)
                : plan.acquisition();
        List<Fit> fits = new ArrayList<>();
        List<GaussianProcess> perObjective = new ArrayList<>();
        GaussianProcess driver = null;
        double incumbent = 0;
        boolean fromModel = plan.modelSurrogate() && acquisition.function() != Acquisition.Function.RANDOM;
        // processes on the observations (nothing observed yet: a random design)
        boolean surrogate = !observed.isEmpty() && !fromModel;
        boolean hypervolume = surrogate
                && acquisition.function() == Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT;
        if (surrogate) {
            for (int o = 0; o < objectives.size(); o++) {
                double[] y = new double[observed.size()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = values.get(i)[o];
                }
                GaussianProcess gp = GaussianProcess.fit(xs, y, plan.surrogate(), random, null, compute);
                perObjective.add(gp);
                fits.add(new Fit(objectives.get(o).property(), y.length, gp.hyperparameters().lengthScales(),
                        gp.hyperparameters().signalVariance(), gp.hyperparameters().noiseVariance(),
                        gp.logMarginalLikelihood()));
            }
            if (!hypervolume) {
                double[] scalar = Plan.scalarise(objectives, values, random);
                boolean plainMaximise = objectives.size() == 1
                        && objectives.get(0).direction() == Plan.Direction.MAXIMISE;
                PowerTransform warp = plan.surrogate().warpOutputs() ? PowerTransform.fit(scalar) : null;
                if (warp != null && warp.bends()) {
                    // the driver sees the values bent towards normal; proposals report perObjective's moments
                    driver = GaussianProcess.fit(xs, warp.apply(scalar), plan.surrogate(), random, null, compute);
                } else {
                    driver = plainMaximise ? perObjective.get(0)
                            : GaussianProcess.fit(xs, scalar, plan.surrogate(), random, null, compute);
                }
                // improvement is measured from the best fitted mean, not from the best (noisy) measurement
                incumbent = driver.bestFittedMean();
            }
        }
        long fitted = System.nanoTime();
        List<BatchSelector.Pick> picks;
        ModelChoice modelChoice = null;
        if (hypervolume) {
            picks = hypervolumePicks(objectives, plan.surrogate(), perObjective, xs, values, pool, encoded, available, pending,
                    plan.acquisition().costAware() ? costs : null, size, random);
        } else if (fromModel) {
            modelChoice = chooseWithModel(plan, pool, observed, values, xs, encoded, available, pending, costs,
                    size, random);
            ModelChoice choice = modelChoice;
            picks = choice.picks();
            fits.addAll(choice.fits());
            fitted = System.nanoTime();
        } else if (!surrogate) {
            // nothing observed yet: a random design; the selector needs a process only for its reported moments
            picks = randomPicks(available, size, random);
        } else {
            BatchSelector selector = new BatchSelector(acquisition, plan.batchStrategy(), compute,
                    Runtime.getRuntime().availableProcessors());
            picks = selector.select(driver, encoded, available, incumbent,
                    pending.stream().mapToInt(Integer::intValue).toArray(), plan.acquisition().costAware() ? costs
                            : null, size, random);
        }
        // the budget in cost: keep picks in order while they fit
        List<BatchSelector.Pick> kept = new ArrayList<>();
        double left = progress.costRemaining() == null ? Double.POSITIVE_INFINITY : progress.costRemaining();
        for (BatchSelector.Pick pick : picks) {
            double cost = plan.cost().of(pool.get(pick.index()));
            if (cost <= left + 1e-9) {
                kept.add(pick);
                left -= cost;
            }
        }
        List<Point> points = new ArrayList<>();
        List<double[]> means = new ArrayList<>();
        List<double[]> stds = new ArrayList<>();
        for (BatchSelector.Pick pick : kept) {
            Point point = pool.get(pick.index());
            String violation = space.violation(point);
            if (violation != null) {
                throw new IllegalStateException("a proposal violates the design space: " + violation);
            }
            points.add(point);
            double[] mean = new double[objectives.size()];
            double[] std = new double[objectives.size()];
            if (fromModel && modelChoice.reportMean() != null) {
                // per objective, as the models (corrected by their residual processes) predict it
                for (int o = 0; o < objectives.size(); o++) {
                    mean[o] = modelChoice.reportMean()[o][pick.index()];
                    std[o] = modelChoice.reportStd()[o][pick.index()];
                }
            } else if (fromModel) {
                // the pick's moments are the objective's, oriented for maximisation
                mean[0] = objectives.get(0).direction() == Plan.Direction.MINIMISE ? -pick.mean() : pick.mean();
                std[0] = pick.std();
            } else if (!perObjective.isEmpty()) {
                double[] encodedPoint = space.encode(point);
                for (int o = 0; o < objectives.size(); o++) {
                    double[] m = new double[1];
                    double[] s = new double[1];
                    perObjective.get(o).predict(encodedPoint, 0, 1, m, s);
                    mean[o] = m[0];
                    std[o] = s[0];
                }
            } else {
                java.util.Arrays.fill(mean, Double.NaN);
                java.util.Arrays.fill(std, Double.NaN);
            }
            means.add(mean);
            stds.add(std);
        }
        long done = System.nanoTime();
        return new Chosen(points, kept, means, stds, fits, pool.size(), (fitted - started) / 1e9,
                (done - fitted) / 1e9, !surrogate && !fromModel ? Acquisition.Function.RANDOM
                        : acquisition.function());
    }

    /**
     * Two objectives by expected hypervolume improvement: each objective's process in "larger is
     * better" orientation (a minimised one is its process negated; a target objective gets its own
     * process of -|value - target|), every candidate's predictions, then {@link HypervolumeImprovement}
     * with the observations and the pending proposals' predicted means as the front.
     */
    private List<BatchSelector.Pick> hypervolumePicks(List<Plan.Objective> objectives,
            GaussianProcess.Options surrogate, List<GaussianProcess> perObjective, double[][] xs, List<double[]> values, List<Point> pool,
            double[] encoded, boolean[] available, List<Integer> pending, double[] costs, int size,
            SplittableRandom random) {
        int n = pool.size();
        double[][] means = new double[2][n];
        double[][] stds = new double[2][n];
        Double[] reference = new Double[2];
        List<double[]> believed = oriented(objectives, values);
        int threads = Runtime.getRuntime().availableProcessors();
        for (int o = 0; o < 2; o++) {
            Plan.Objective objective = objectives.get(o);
            GaussianProcess process = perObjective.get(o);
            double sign = objective.direction() == Plan.Direction.MINIMISE ? -1 : 1;
            if (objective.direction() == Plan.Direction.TARGET) {
                double[] oriented = new double[values.size()];
                for (int i = 0; i < oriented.length; i++) {
                    oriented[i] = believed.get(i)[o];
                }
                process = GaussianProcess.fit(xs, oriented, surrogate, random, null, compute);
                sign = 1;
            }
            process.predictAll(encoded, means[o], stds[o], compute, threads);
            for (int i = 0; i < n; i++) {
                means[o][i] *= sign;
            }
            reference[o] = objective.reference() == null ? null : objective.oriented(objective.reference());
        }
        double[] point = HypervolumeImprovement.reference(believed, reference);
        for (int at : pending) {
            believed.add(new double[] {means[0][at], means[1][at]});
        }
        List<BatchSelector.Pick> picks = new ArrayList<>();
        for (HypervolumeImprovement.Choice choice : HypervolumeImprovement.select(means, stds, available, believed,
                point, costs, size)) {
            picks.add(new BatchSelector.Pick(choice.index(), Double.NaN, Double.NaN, choice.expected()));
        }
        return picks;
    }

    /** Two objectives' observed values, each turned to "larger is better". */
    private static List<double[]> oriented(List<Plan.Objective> objectives, List<double[]> values) {
        List<double[]> oriented = new ArrayList<>();
        for (double[] observed : values) {
            oriented.add(new double[] {objectives.get(0).oriented(observed[0]), objectives.get(1).oriented(observed[1])});
        }
        return oriented;
    }

    /**
     * Picks from prediction models with the residual processes' fits, and what the proposals report
     * per objective and pool row ([objective][row]; null: the picks' own moments).
     */
    private record ModelChoice(List<BatchSelector.Pick> picks, List<Fit> fits, double[][] reportMean,
            double[][] reportStd) {
    }

    /**
     * Proposals from a prediction model, asked as the caller for the pool and the observed points,
     * through {@link ModelPrior}: the model's mean and standard deviation with a Gaussian process on
     * the standardised residuals of what was observed.
     */
    private ModelChoice chooseWithModel(Plan plan, List<Point> pool, List<Point> observed, List<double[]> values,
            double[][] xs, double[] encoded, boolean[] available, List<Integer> pending, double[] costs, int size,
            SplittableRandom random) {
        List<Map<String, Double>> compositions = new ArrayList<>(pool.size() + observed.size());
        pool.forEach(p -> compositions.add(p.composition()));
        observed.forEach(p -> compositions.add(p.composition()));
        if (plan.objectives().size() == 2) {
            return chooseParetoWithModels(plan, compositions, pool.size(), values, xs, encoded, available, pending,
                    costs, size, random);
        }
        Plan.Objective objective = plan.objectives().get(0);
        PredictionReader.Predicted predicted = predictedBy(plan, objective, compositions);
        ModelPrior prior = Plan.prior(objective, predicted.mean(), predicted.std());
        int[] observedRows = new int[observed.size()];
        double[] y = new double[observed.size()];
        for (int j = 0; j < y.length; j++) {
            observedRows[j] = pool.size() + j;
            y[j] = objective.oriented(values.get(j)[0]);
        }
        ModelPrior.Choice choice = prior.choose(plan.acquisition(), observedRows, y, xs, encoded, pool.size(),
                available, pending.stream().mapToInt(Integer::intValue).toArray(), costs, size, plan.surrogate(), null,
                random, compute, Runtime.getRuntime().availableProcessors());
        List<Fit> fits = new ArrayList<>();
        if (choice.residual() != null) {
            GaussianProcess residual = choice.residual();
            fits.add(new Fit(objective.property(), y.length, residual.hyperparameters().lengthScales(),
                    residual.hyperparameters().signalVariance(), residual.hyperparameters().noiseVariance(),
                    residual.logMarginalLikelihood()));
        }
        boolean target = objective.direction() == Plan.Direction.TARGET;
        // a target's picks carry the moments of -|value - target|: report the model's own prediction
        return new ModelChoice(choice.picks(), fits, target ? new double[][] {predicted.mean()} : null,
                target ? new double[][] {predicted.std()} : null);
    }

    /** The objective's model's predictions for the compositions, asked as the caller, in the objective's unit. */
    private PredictionReader.Predicted predictedBy(Plan plan, Plan.Objective objective,
            List<Map<String, Double>> compositions) {
        String modelId = plan.models().get(objective.property());
        return predictions.predict(modelId, compositions, "spec.surrogate.prediction_model.model_ids["
                + objective.property() + "]").in(objective.unit(), modelId);
    }

    /**
     * Two objectives from prediction models: each objective's model with a process on its own
     * standardised residuals ({@link ModelPrior}) gives a Gaussian prediction per candidate and
     * objective, and expected hypervolume improvement chooses as with two processes (kriging
     * believer on the front). With nothing observed the models alone predict, and the reference
     * point, unless given, comes from their predictions over the pool.
     */
    private ModelChoice chooseParetoWithModels(Plan plan, List<Map<String, Double>> compositions, int n,
            List<double[]> values, double[][] xs, double[] encoded, boolean[] available, List<Integer> pending,
            double[] costs, int size, SplittableRandom random) {
        List<Plan.Objective> objectives = plan.objectives();
        double[][] means = new double[2][n];
        double[][] stds = new double[2][n];
        double[][] reportMean = new double[2][n];
        double[][] reportStd = new double[2][n];
        Double[] reference = new Double[2];
        List<Fit> fits = new ArrayList<>();
        List<double[]> believed = oriented(objectives, values);
        int threads = Runtime.getRuntime().availableProcessors();
        for (int o = 0; o < 2; o++) {
            Plan.Objective objective = objectives.get(o);
            PredictionReader.Predicted predicted = predictedBy(plan, objective, compositions);
            ModelPrior prior = Plan.prior(objective, predicted.mean(), predicted.std());
            double[] latentMean = new double[n];
            double[] latentStd = new double[n];
            if (values.isEmpty()) {
                java.util.Arrays.fill(latentStd, 1);
            } else {
                double[] z = new double[values.size()];
                for (int j = 0; j < z.length; j++) {
                    z[j] = (believed.get(j)[o] - prior.offset()[n + j]) / prior.scale()[n + j];
                }
                GaussianProcess residual = GaussianProcess.fit(xs, z, plan.surrogate(), random, null, compute);
                fits.add(new Fit(objective.property(), z.length, residual.hyperparameters().lengthScales(),
                        residual.hyperparameters().signalVariance(), residual.hyperparameters().noiseVariance(),
                        residual.logMarginalLikelihood()));
                residual.predictAll(encoded, latentMean, latentStd, compute, threads);
            }
            for (int i = 0; i < n; i++) {
                means[o][i] = prior.offset()[i] + prior.scale()[i] * latentMean[i];
                stds[o][i] = prior.scale()[i] * latentStd[i];
                boolean target = objective.direction() == Plan.Direction.TARGET;
                reportMean[o][i] = target ? predicted.mean()[i]
                        : objective.direction() == Plan.Direction.MINIMISE ? -means[o][i] : means[o][i];
                reportStd[o][i] = target ? predicted.std()[i] : stds[o][i];
            }
            reference[o] = objective.reference() == null ? null : objective.oriented(objective.reference());
        }
        List<double[]> scale = believed;
        if (believed.isEmpty()) {
            scale = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                scale.add(new double[] {means[0][i], means[1][i]});
            }
        }
        double[] point = HypervolumeImprovement.reference(scale, reference);
        for (int at : pending) {
            believed.add(new double[] {means[0][at], means[1][at]});
        }
        List<BatchSelector.Pick> picks = new ArrayList<>();
        for (HypervolumeImprovement.Choice choice : HypervolumeImprovement.select(means, stds, available, believed,
                point, plan.acquisition().costAware() ? costs : null, size)) {
            picks.add(new BatchSelector.Pick(choice.index(), Double.NaN, Double.NaN, choice.expected()));
        }
        return new ModelChoice(picks, fits, reportMean, reportStd);
    }

    private static List<BatchSelector.Pick> randomPicks(boolean[] available, int size, SplittableRandom random) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < available.length; i++) {
            if (available[i]) {
                open.add(i);
            }
        }
        List<BatchSelector.Pick> picks = new ArrayList<>();
        for (int slot = 0; slot < size && slot < open.size(); slot++) {
            int j = slot + random.nextInt(open.size() - slot);
            int chosen = open.get(j);
            open.set(j, open.get(slot));
            open.set(slot, chosen);
            picks.add(new BatchSelector.Pick(chosen, Double.NaN, Double.NaN, 0));
        }
        return picks;
    }

    /**
     * Tell: validates every result first, writes the measured ones to the campaign's catalog dataset
     * (as the caller, who needs {@code contributor} there; the dataset is created on first use),
     * then records them all in one transaction. A catalog refusal records nothing.
     */
    public Told report(Caller caller, UUID campaignId, List<ReportedResult> results) {
        String[] createdDataset = {null};
        try {
            return record(caller, campaignId, results, createdDataset);
        } catch (RuntimeException e) {
            if (createdDataset[0] != null) {
                // the catalog refused the results after the dataset was made: keep the dataset for next time
                try {
                    repository.setResultsDataset(campaignId, createdDataset[0]);
                } catch (SQLException ignored) {
                    // a later report creates another one
                }
            }
            throw e;
        }
    }

    private Told record(Caller caller, UUID campaignId, List<ReportedResult> results, String[] createdDataset) {
        return inTransaction(connection -> {
            CampaignRecord record = repository.find(connection, campaignId, Optional.of(caller), true)
                    .orElseThrow(() -> ApiException.notFound("campaign", campaignId.toString()));
            requireMember(caller, record.ownerOrg());
            if (record.status().equals("CANCELLED")) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION,
                        "campaign " + campaignId + " is cancelled: no results are accepted", List.of());
            }
            if (results.isEmpty()) {
                throw ApiException.invalid("results", "no results");
            }
            Plan plan = Documents.plan(record.spec());
            Map<UUID, ProposalRecord> proposals = new LinkedHashMap<>();
            for (ProposalRecord p : repository.proposals(connection, campaignId, "", null, 0, Integer.MAX_VALUE)) {
                proposals.put(p.id(), p);
            }
            List<ApiException.FieldViolation> problems = new ArrayList<>();
            List<Ack> acks = new ArrayList<>();
            Set<UUID> seen = new HashSet<>();
            List<Runnable> writes = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                ReportedResult result = results.get(i);
                String path = "results[" + i + "]";
                UUID id;
                try {
                    id = UUID.fromString(result.proposalId());
                } catch (IllegalArgumentException e) {
                    problems.add(new ApiException.FieldViolation(path + ".proposal_id", "'" + result.proposalId()
                            + "' is not an id"));
                    continue;
                }
                ProposalRecord proposal = proposals.get(id);
                if (proposal == null) {
                    problems.add(new ApiException.FieldViolation(path + ".proposal_id",
                            "no proposal " + id + " in campaign " + campaignId));
                    continue;
                }
                if (!seen.add(id)) {
                    problems.add(new ApiException.FieldViolation(path + ".proposal_id", "reported twice in one request"));
                    continue;
                }
                double[] values = null;
                if (result.values() != null) {
                    values = new double[plan.objectives().size()];
                    for (int o = 0; o < plan.objectives().size(); o++) {
                        Plan.Objective objective = plan.objectives().get(o);
                        List<ReportedValue> matching = result.values().stream()
                                .filter(v -> v.property().equals(objective.property())).toList();
                        if (matching.size() != 1) {
                            problems.add(new ApiException.FieldViolation(path + ".measured.values",
                                    matching.isEmpty() ? "no value for objective " + objective.property()
                                            : "objective " + objective.property() + " given " + matching.size()
                                                    + " times"));
                            continue;
                        }
                        ReportedValue value = matching.get(0);
                        int at = result.values().indexOf(value);
                        if (!Double.isFinite(value.value())) {
                            problems.add(new ApiException.FieldViolation(path + ".measured.values[" + at + "].value",
                                    "must be a finite number"));
                        }
                        values[o] = value.value();
                        if (!objective.unit().isEmpty() && !value.unit().isEmpty()
                                && !value.unit().equals(objective.unit())) {
                            try {
                                values[o] = Units.converter(value.unit(), objective.unit()).convert(value.value());
                            } catch (Units.UnitException e) {
                                problems.add(new ApiException.FieldViolation(path + ".measured.values[" + at
                                        + "].unit", e.getMessage()));
                            }
                        }
                    }
                } else if (result.failureReason() == null) {
                    problems.add(new ApiException.FieldViolation(path, "give measured values or a failure"));
                    continue;
                }
                for (Map.Entry<String, Object> actual : result.actualParameters().entrySet()) {
                    Optional<DesignSpace.Parameter> parameter = plan.space().parameters().stream()
                            .filter(p -> p.name().equals(actual.getKey())).findFirst();
                    if (parameter.isEmpty()) {
                        problems.add(new ApiException.FieldViolation(path + ".actual_parameters[" + actual.getKey()
                                + "]", "no parameter " + actual.getKey() + " is declared"));
                    } else if (!compatible(parameter.get(), actual.getValue())) {
                        problems.add(new ApiException.FieldViolation(path + ".actual_parameters[" + actual.getKey()
                                + "]", "not a valid value for " + actual.getKey()));
                    }
                }
                String state = values != null ? "COMPLETED" : "FAILED";
                if (!proposal.state().equals("PENDING")) {
                    boolean same = proposal.state().equals(state) && java.util.Arrays.equals(proposal.result(),
                            result.document());
                    if (same) {
                        acks.add(new Ack(id, state, true));
                    } else {
                        problems.add(new ApiException.FieldViolation(path + ".proposal_id", "proposal " + id + " is "
                                + proposal.state() + " already; a different result is not accepted"));
                    }
                    continue;
                }
                double[] stored = values;
                boolean retry = values == null && result.retryAllowed();
                writes.add(() -> {
                    try {
                        repository.resolve(connection, id, state, retry, result.document(), stored);
                    } catch (SQLException e) {
                        throw new IllegalStateException("recording the result failed", e);
                    }
                });
                acks.add(new Ack(id, state, false));
            }
            if (!problems.isEmpty()) {
                boolean conflict = problems.stream().allMatch(p -> p.reason().contains("already;"));
                throw new ApiException(conflict ? ApiException.Kind.FAILED_PRECONDITION
                        : ApiException.Kind.INVALID_ARGUMENT, problems.get(0).field() + ": " + problems.get(0).reason()
                                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
            }
            List<CatalogWriter.Result> measured = new ArrayList<>();
            for (ReportedResult result : results) {
                ProposalRecord proposal = proposals.get(UUID.fromString(result.proposalId()));
                if (result.values() != null && proposal.state().equals("PENDING")) {
                    measured.add(new CatalogWriter.Result(result.proposalId(), Documents.point(proposal.candidate()),
                            result.document()));
                }
            }
            if (!measured.isEmpty() && plan.space().hasComposition()) {
                String dataset = record.resultsDatasetId();
                if (dataset.isEmpty()) {
                    dataset = catalog.createResultsDataset(record.ownerOrg(), campaignId.toString(), record.name());
                    createdDataset[0] = dataset;
                    repository.setResultsDataset(connection, campaignId, dataset);
                }
                catalog.writeResults(dataset, campaignId.toString(), plan.space().parameters(),
                        Documents.spec(record.spec()).getDesignSpace().getParametersList(), measured);
            }
            writes.forEach(Runnable::run);
            CampaignView view = view(connection, record, false);
            Progress progress = view.progress();
            boolean spent = progress.experimentsRemaining() != null && progress.experimentsRemaining() == 0
                    || progress.costRemaining() != null && progress.costRemaining() <= 0;
            if (spent && progress.pending() == 0 && record.status().equals("ACTIVE")) {
                repository.updateStatus(connection, campaignId, "COMPLETED", "budget reached");
                view = view(connection, repository.find(connection, campaignId, Optional.of(caller), false)
                        .orElseThrow(), false);
            }
            return new Told(acks, view);
        });
    }

    private static boolean compatible(DesignSpace.Parameter parameter, Object value) {
        if (parameter instanceof DesignSpace.Continuous) {
            return value instanceof Double d && Double.isFinite(d);
        }
        if (parameter instanceof DesignSpace.IntegerRange) {
            return value instanceof Long;
        }
        return value instanceof String s && ((DesignSpace.Categorical) parameter).values().contains(s);
    }

    private CampaignView view(Connection connection, CampaignRecord record, boolean full) throws SQLException {
        Plan plan = Documents.plan(record.spec());
        List<ProposalRecord> all = repository.proposals(connection, record.id(), "", null, 0, Integer.MAX_VALUE);
        // the summary view only counts the prior observations; the full view lists them
        List<PriorRecord> priors = full ? repository.priors(connection, record.id()) : List.of();
        int priorCount = full ? priors.size() : repository.priorCount(connection, record.id());
        Progress progress = progress(plan, record, all, priorCount);
        List<ProposalRecord> completed = all.stream().filter(p -> p.state().equals("COMPLETED")).toList();
        ProposalRecord best = null;
        List<ProposalRecord> front = new ArrayList<>();
        if (plan.objectives().size() == 1) {
            Plan.Objective objective = plan.objectives().get(0);
            for (ProposalRecord p : completed) {
                if (best == null || objective.oriented(p.objectiveValues()[0])
                        > objective.oriented(best.objectiveValues()[0])) {
                    best = p;
                }
            }
        } else {
            for (ProposalRecord p : completed) {
                boolean dominated = false;
                for (ProposalRecord q : completed) {
                    if (q != p && dominates(plan.objectives(), q.objectiveValues(), p.objectiveValues())) {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated) {
                    front.add(p);
                }
            }
        }
        List<ProposalRecord> history = full ? all.subList(0, Math.min(all.size(), HISTORY_LIMIT)) : List.of();
        return new CampaignView(record, plan, progress, best, front, history, full && all.size() > HISTORY_LIMIT,
                priors);
    }

    private static boolean dominates(List<Plan.Objective> objectives, double[] a, double[] b) {
        boolean better = false;
        for (int o = 0; o < objectives.size(); o++) {
            double x = objectives.get(o).oriented(a[o]);
            double y = objectives.get(o).oriented(b[o]);
            if (x < y) {
                return false;
            }
            better |= x > y;
        }
        return better;
    }

    private static Progress progress(Plan plan, CampaignRecord record, List<ProposalRecord> all, int priors) {
        int pending = 0;
        int completed = 0;
        int failed = 0;
        int cancelled = 0;
        double cost = 0;
        for (ProposalRecord p : all) {
            switch (p.state()) {
                case "PENDING" -> pending++;
                case "COMPLETED" -> completed++;
                case "FAILED" -> failed++;
                default -> cancelled++;
            }
            if (!p.state().equals("CANCELLED")) {
                cost += p.cost();
            }
        }
        int used = all.size() - cancelled;
        Integer experimentsLeft = plan.maxExperiments() == null ? null : Math.max(0, plan.maxExperiments() - used);
        Double costLeft = plan.maxCost() == null ? null : Math.max(0, plan.maxCost() - cost);
        return new Progress(all.size(), pending, completed, failed, cancelled, record.batches(), completed + priors, cost,
                experimentsLeft, costLeft);
    }

    private static void requireMember(Caller caller, String ownerOrg) {
        if (caller.hasRole(Caller.ADMIN)) {
            return;
        }
        if (!caller.hasRole(Caller.MEMBER) || !caller.org().equals(ownerOrg)) {
            throw ApiException.denied("the role 'member' in organisation " + ownerOrg + " is required");
        }
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(repository::connection, work);
    }
}

package org.mihub.planning.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.planning.v1.AccelerationFactor;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.ExplicitCandidates;
import org.mihub.api.planning.v1.LabelledCandidate;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.Simulation;
import org.mihub.api.planning.v1.SimulationReport;
import org.mihub.api.planning.v1.SimulationRun;
import org.mihub.api.planning.v1.SimulationSpec;
import org.mihub.common.error.ApiException;
import org.mihub.common.grpc.JobMessages;
import org.mihub.common.units.Units;
import org.mihub.planning.repository.JobRepository.JobRecord;
import org.mihub.planning.service.Plan;
import org.mihub.planning.service.SimulationService;
import org.mihub.planning.simulation.ParetoSimulation;
import org.mihub.planning.simulation.PoolSimulation;
import org.mihub.planning.space.Point;

import com.google.protobuf.InvalidProtocolBufferException;

/** Simulation requests from the wire into the domain, and jobs and reports back. */
public final class SimulationMapper {

    private static final int MAX_RUNS = 500;
    /** Largest pool a simulation runs on (a model oracle scores at most this many design-space points). */
    public static final int MAX_POOL = 200_000;
    /** Evaluations per run against a model oracle, by default. */
    private static final int MODEL_EVALUATIONS = 100;

    private SimulationMapper() {
    }

    /**
     * Validates a simulation against its strategy (a campaign's stored spec, or the inline one): the
     * pool rows become the strategy's explicit candidates, so every row is checked against the
     * declared parameters and constraints exactly as a campaign's candidates are.
     */
    /** What a strategy must be for any simulation, checked before an oracle is read. */
    public static void precheck(SimulationSpec spec, CampaignSpec strategy) {
        if (strategy.getPriorDataCount() > 0) {
            throw ApiException.invalid("spec.campaign.prior_data",
                    "a simulation starts from its seeded initial designs; prior data is not used, leave it empty");
        }
        if (strategy.getObjectivesCount() < 1 || strategy.getObjectivesCount() > 2) {
            throw ApiException.invalid("spec.campaign.objectives",
                    "a simulation has one or two objectives; this strategy has " + strategy.getObjectivesCount());
        }
        if (strategy.getObjectivesCount() == 2 && strategy.getSurrogate().hasPredictionModel()) {
            throw ApiException.invalid("spec.campaign.surrogate.prediction_model", "two-objective simulations run "
                    + "the Gaussian processes; prediction models are simulated as the surrogate of one objective");
        }
        if (strategy.getObjectivesCount() == 2 && spec.hasModel()) {
            throw ApiException.invalid("spec.model", "two-objective simulations take a pool of labelled candidates "
                    + "or a catalog dataset; model oracles serve one objective");
        }
    }

    public static SimulationService.Request request(SimulationSpec spec, CampaignSpec strategy) {
        return request(spec, strategy, null);
    }

    /**
     * As {@link #request(SimulationSpec, CampaignSpec)}; with a dataset oracle, {@code recorded} is the
     * dataset read from the catalog, and its materials that do not fit the strategy's constraints are
     * left out of the pool instead of refused.
     */
    public static SimulationService.Request request(SimulationSpec spec, CampaignSpec strategy,
            org.mihub.api.planning.v1.CandidatePoolOracle recorded) {
        // a dataset or model oracle arrives as `recorded`: read from the catalog, or predicted by the models
        boolean fromDataset = spec.getOracleCase() == SimulationSpec.OracleCase.DATASET
                || spec.getOracleCase() == SimulationSpec.OracleCase.MODEL;
        if (spec.getOracleCase() == SimulationSpec.OracleCase.ORACLE_NOT_SET) {
            throw ApiException.invalid("spec.oracle", "give a pool of labelled candidates, a catalog dataset or "
                    + "prediction models");
        }
        List<LabelledCandidate> rows = fromDataset ? recorded.getRowsList() : spec.getPool().getRowsList();
        if (rows.size() < 3 || rows.size() > MAX_POOL) {
            throw ApiException.invalid("spec.pool.rows", "a pool needs 3 to " + MAX_POOL + " rows");
        }
        precheck(spec, strategy);
        // pool rows may repeat a design (repeated measurements): they get distinct ids here and are
        // grouped by their design below
        ExplicitCandidates.Builder explicit = ExplicitCandidates.newBuilder();
        for (int i = 0; i < rows.size(); i++) {
            explicit.addCandidates(rows.get(i).getCandidate().toBuilder().setId("row-" + i));
        }
        CampaignSpec withPool = strategy.toBuilder()
                .setDesignSpace(strategy.getDesignSpace().toBuilder().setExplicit(explicit)).clearBudget().build();
        Plan plan;
        try {
            plan = SpecMapper.plan(SpecMapper.withDefaults(withPool, spec.hasBaseSeed() ? spec.getBaseSeed() : 1));
        } catch (ApiException e) {
            List<ApiException.FieldViolation> renamed = new ArrayList<>();
            for (ApiException.FieldViolation v : e.violations()) {
                renamed.add(new ApiException.FieldViolation(v.field()
                        .replace("spec.design_space.explicit.candidates", "spec.pool.rows"), v.reason()));
            }
            throw new ApiException(e.kind(), renamed.isEmpty() ? e.getMessage()
                    : renamed.get(0).field() + ": " + renamed.get(0).reason(), renamed);
        }
        Plan.Objective objective = plan.objectives().get(0);
        List<Point> points = plan.space().pool(MAX_POOL, new SplittableRandom(1));
        if (points.size() != rows.size()) {
            if (!fromDataset) {
                throw ApiException.invalid("spec.pool.rows", (rows.size() - points.size())
                        + " rows violate the strategy's constraints");
            }
            // a dataset oracle: only the materials that map onto the design space form the pool
            List<LabelledCandidate> kept = new ArrayList<>();
            for (Point point : points) {
                kept.add(rows.get(Integer.parseInt(point.id().substring("row-".length()))));
            }
            rows = kept;
            if (rows.size() < 3) {
                throw ApiException.invalid("spec.dataset", "fewer than 3 of the dataset's materials with a value of "
                        + String.join(" and ", plan.objectives().stream().map(Plan.Objective::property).toList())
                        + " fit the strategy's design space");
            }
        }
        int m = plan.objectives().size();
        double[][] encoded = new double[rows.size()][];
        double[][] measured = new double[rows.size()][m];
        for (int i = 0; i < rows.size(); i++) {
            encoded[i] = plan.space().encode(points.get(i));
            String path = "spec.pool.rows[" + i + "].values";
            for (int o = 0; o < m; o++) {
                Plan.Objective wanted = plan.objectives().get(o);
                List<ObjectiveValue> matching = rows.get(i).getValuesList().stream()
                        .filter(v -> v.getProperty().equals(wanted.property())).toList();
                if (matching.size() != 1) {
                    throw ApiException.invalid(path, "needs exactly one value of " + wanted.property());
                }
                int at = rows.get(i).getValuesList().indexOf(matching.get(0));
                var value = matching.get(0).getValue();
                if (!Double.isFinite(value.getValue())) {
                    throw ApiException.invalid(path + "[" + at + "].value", "must be a finite number");
                }
                measured[i][o] = value.getValue();
                if (!wanted.unit().isEmpty() && !value.getUnit().isEmpty() && !value.getUnit().equals(wanted.unit())) {
                    try {
                        measured[i][o] = Units.converter(value.getUnit(), wanted.unit()).convert(value.getValue());
                    } catch (Units.UnitException e) {
                        throw ApiException.invalid(path + "[" + at + "].unit", e.getMessage());
                    }
                }
            }
        }
        boolean average = !spec.hasAverageDuplicates() || spec.getAverageDuplicates();
        int[] identity = java.util.stream.IntStream.range(0, rows.size()).toArray();
        // one objective: Top% and best so far; two: the share of the pool's hypervolume
        PoolSimulation.Pool pool = null;
        ParetoSimulation.Pool pareto = null;
        if (m == 1) {
            double[] values = new double[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = measured[i][0];
            }
            PoolSimulation.Pool grouped = average ? PoolSimulation.averageDuplicates(encoded, values, true)
                    : new PoolSimulation.Pool(encoded, values.clone(), values, identity);
            double[] score = new double[grouped.values().length];
            for (int i = 0; i < score.length; i++) {
                score[i] = objective.oriented(grouped.values()[i]);
            }
            pool = new PoolSimulation.Pool(grouped.points(), score, grouped.values(), grouped.firstRow());
        } else if (average) {
            pareto = ParetoSimulation.averageDuplicates(encoded, measured, plan.objectives());
        } else {
            double[][] scores = new double[measured.length][2];
            for (int i = 0; i < measured.length; i++) {
                for (int o = 0; o < 2; o++) {
                    scores[i][o] = plan.objectives().get(o).oriented(measured[i][o]);
                }
            }
            pareto = new ParetoSimulation.Pool(encoded, measured, scores, identity);
        }
        int[] firstRow = pool != null ? pool.firstRow() : pareto.firstRow();
        int runs = spec.hasRuns() ? spec.getRuns() : spec.getSeedsCount() > 0 ? spec.getSeedsCount() : 10;
        if (runs < 1 || runs > MAX_RUNS) {
            throw ApiException.invalid("spec.runs", "must be 1 to " + MAX_RUNS);
        }
        long[] seeds = new long[runs];
        SplittableRandom derived = new SplittableRandom(spec.hasBaseSeed() ? spec.getBaseSeed() : 20211001L);
        for (int i = 0; i < runs; i++) {
            seeds[i] = i < spec.getSeedsCount() ? spec.getSeeds(i) : derived.nextLong();
        }
        int evaluations = spec.hasMaxEvaluations() ? spec.getMaxEvaluations()
                : spec.hasModel() ? MODEL_EVALUATIONS : firstRow.length;
        if (evaluations < 1) {
            throw ApiException.invalid("spec.max_evaluations", "must be at least 1");
        }
        double top = spec.hasTopFraction() ? spec.getTopFraction() : 0.05;
        if (!(top > 0 && top <= 1)) {
            throw ApiException.invalid("spec.top_fraction", "must be in (0, 1]");
        }
        double[] levels = spec.getAccelerationLevelsCount() == 0 ? new double[] {0.5, 0.8}
                : spec.getAccelerationLevelsList().stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < levels.length; i++) {
            if (!(levels[i] > 0 && levels[i] <= 1)) {
                throw ApiException.invalid("spec.acceleration_levels[" + i + "]", "must be in (0, 1]");
            }
        }
        String[] ids = new String[firstRow.length];
        for (int i = 0; i < ids.length; i++) {
            String id = rows.get(firstRow[i]).getCandidate().getId();
            ids[i] = id.isEmpty() ? "row-" + firstRow[i] : id;
        }
        List<java.util.Map<String, Double>> compositions = new ArrayList<>(firstRow.length);
        for (int row : firstRow) {
            compositions.add(points.get(row).composition());
        }
        return new SimulationService.Request(plan, pool, pareto, seeds, Math.min(evaluations, firstRow.length), top,
                levels, spec.toByteArray(), ids, plan.space().hasComposition() ? compositions : null, null);
    }

    /** The stored report document of a two-objective simulation. */
    public static byte[] report(ParetoSimulation.Report report, List<Plan.Objective> objectives, boolean keepChoices,
            String[] ids) {
        SimulationReport.Builder out = SimulationReport.newBuilder().setPoolSize(report.poolSize())
                .setObjectiveProperty(objectives.get(0).property() + "," + objectives.get(1).property())
                .setUnit(objectives.get(0).unit() + "," + objectives.get(1).unit())
                .setEvaluations(report.evaluations()).setPoolHypervolume(report.poolHypervolume())
                .addReference(report.reference()[0]).addReference(report.reference()[1]);
        for (ParetoSimulation.Run run : report.runs()) {
            SimulationRun.Builder r = SimulationRun.newBuilder().setSeed(run.seed());
            for (double v : run.hypervolume()) {
                r.addHypervolume(v);
            }
            if (keepChoices) {
                for (int index : run.chosen()) {
                    r.addChosenCandidateIds(ids[index]);
                }
            }
            out.addRuns(r);
        }
        for (int i = 0; i < report.evaluations(); i++) {
            out.addMeanHypervolume(report.meanHypervolume()[i]).addRandomHypervolume(report.randomHypervolume()[i]);
        }
        for (PoolSimulation.Acceleration a : report.acceleration()) {
            out.addHypervolumeAcceleration(acceleration(a));
        }
        return out.build().toByteArray();
    }

    private static AccelerationFactor acceleration(PoolSimulation.Acceleration a) {
        AccelerationFactor.Builder f = AccelerationFactor.newBuilder().setLevel(a.level());
        if (a.strategyEvaluations() != null) {
            f.setStrategyEvaluations(a.strategyEvaluations());
        }
        if (a.randomEvaluations() != null) {
            f.setRandomEvaluations(a.randomEvaluations());
        }
        if (a.factor() != null) {
            f.setFactor(a.factor());
        }
        return f.build();
    }

    /** The stored report document. */
    public static byte[] report(PoolSimulation.Report report, Plan.Objective objective, boolean keepChoices,
            String[] ids) {
        SimulationReport.Builder out = SimulationReport.newBuilder().setPoolSize(report.poolSize())
                .setTopCount(report.topCount()).setTopFraction(report.topFraction())
                .setObjectiveProperty(objective.property()).setUnit(objective.unit())
                .setEvaluations(report.evaluations()).setMaxEnhancementFactor(report.maxEnhancementFactor());
        for (PoolSimulation.Run run : report.runs()) {
            SimulationRun.Builder r = SimulationRun.newBuilder().setSeed(run.seed());
            for (double v : run.bestSoFar()) {
                r.addBestSoFar(v);
            }
            for (double v : run.topFound()) {
                r.addTopFound(v);
            }
            if (keepChoices) {
                for (int index : run.chosen()) {
                    r.addChosenCandidateIds(ids[index]);
                }
            }
            out.addRuns(r);
        }
        for (int i = 0; i < report.evaluations(); i++) {
            out.addMeanBestSoFar(report.meanBestSoFar()[i]).addStdBestSoFar(report.stdBestSoFar()[i])
                    .addMeanTopFound(report.meanTopFound()[i]).addRandomTopFound(report.randomTopFound()[i])
                    .addEnhancementFactor(report.enhancementFactor()[i]);
        }
        for (PoolSimulation.Acceleration a : report.acceleration()) {
            out.addAcceleration(acceleration(a));
        }
        return out.build().toByteArray();
    }

    public static Job job(JobRecord job) {
        return Job.newBuilder().setId(job.id().toString()).setKind(job.kind())
                .setState(JobState.valueOf(job.state())).setProgress(job.progress()).setMessage(job.message())
                .setCreatedAt(CampaignMapper.timestamp(job.createdAt()))
                .setUpdatedAt(CampaignMapper.timestamp(job.updatedAt()))
                .setResultId(job.state().equals("SUCCEEDED") ? job.id().toString() : "")
                .addAllAttempts(job.attempts().stream().map(JobMessages::attempt).toList()).build();
    }

    /** Writes the report of {@code simulation} as {@code spec} asks (its choices kept or not). */
    public static SimulationService.ReportWriter reportWriter(SimulationSpec spec, SimulationService.Request simulation) {
        String[] ids = simulation.candidateIds();
        List<Plan.Objective> objectives = simulation.plan().objectives();
        return new SimulationService.ReportWriter() {
            @Override
            public byte[] single(PoolSimulation.Report report) {
                return SimulationMapper.report(report, objectives.get(0), spec.getKeepChoices(), ids);
            }

            @Override
            public byte[] pareto(ParetoSimulation.Report report) {
                return SimulationMapper.report(report, objectives, spec.getKeepChoices(), ids);
            }
        };
    }

    public static Simulation simulation(JobRecord job, boolean includeRuns) {
        try {
            Simulation.Builder simulation = Simulation.newBuilder().setId(job.id().toString())
                    .setSpec(SimulationSpec.parseFrom(job.request())).setJob(job(job)).setOwnerOrg(job.ownerOrg())
                    .setVisibility(Visibility.valueOf(job.visibility())).setCreatedBy(job.createdBy())
                    .setCreatedAt(CampaignMapper.timestamp(job.createdAt()));
            if (job.report() != null && job.state().equals("SUCCEEDED")) {
                SimulationReport report = SimulationReport.parseFrom(job.report());
                simulation.setReport(includeRuns ? report : report.toBuilder().clearRuns().build());
            }
            return simulation.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored simulation is unreadable", e);
        }
    }
}

package org.mihub.planning.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;

import org.mihub.common.gp.GaussianProcess;
import org.mihub.common.gp.PowerTransform;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.BatchSelector;
import org.mihub.planning.acquisition.FeasibilityModel;
import org.mihub.planning.acquisition.NormalMath;
import org.mihub.planning.acquisition.HypervolumeImprovement;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.planning.service.Plan;

/**
 * The one propose step of the planner: fit the surrogate to what was observed, score the
 * candidates, pick a batch. Campaigns, pool simulations and Pareto simulations all choose through
 * {@link #propose}, so a digital twin measures exactly what a campaign would propose.
 *
 * <p>Paths, decided by the problem alone:
 * <ul>
 * <li>no model and fewer observations than {@link Problem#initialPoints()}: random candidates;
 * <li>prediction models ({@link Problem#models()}): each objective is the model's mean and spread
 * with a Gaussian process on the standardised residuals ({@link ModelPrior}); one objective chooses
 * by the acquisition with kriging believer, two by expected hypervolume improvement;
 * <li>two objectives with {@link Acquisition.Function#EXPECTED_HYPERVOLUME_IMPROVEMENT}: a process
 * per objective and exact EHVI, kriging believer on the front;
 * <li>otherwise one driving process on the objective (several objectives: a ParEGO scalarisation
 * with weights drawn from {@code random}), its values bent towards normal by a Yeo-Johnson transform
 * when a likelihood-ratio test finds them skewed, improvement measured from its best fitted mean.
 * </ul>
 *
 * <p>The planner does no input or output itself: the caller gives the candidates already encoded,
 * the observations, and how a process is fitted ({@link Fitter}: a campaign fits afresh, a
 * simulation warm-starts each series from its previous fit).
 */
public final class BatchPlanner {

    /** Fits a Gaussian process to one named series of values (maximised orientation where it matters). */
    @FunctionalInterface
    public interface Fitter {
        GaussianProcess fit(String series, double[][] xs, double[] ys, SplittableRandom random);
    }

    /**
     * A prediction model's view of one objective, per row: the candidates first, then rows beyond
     * them (for example the observed designs). {@code mean} and {@code std} are the model's own
     * prediction of the property in the objective's unit; {@code prior} is the surrogate built on it.
     */
    public record ModelView(ModelPrior prior, double[] mean, double[] std) {
    }

    /**
     * What to propose from.
     *
     * @param candidates     the candidates' encoded designs, row after row ({@code dimensions} each)
     * @param available      which candidates may be proposed
     * @param pending        candidate rows proposed earlier without a result: they enter as fantasies
     * @param observedX      the observed designs, encoded
     * @param observedValues per observation, each objective's value in its unit
     * @param costs          per candidate (cost-aware acquisition), or null
     * @param initialPoints  without models, random candidates while fewer observations exist
     * @param models         one per objective when prediction models are the surrogate, else empty
     * @param observedRows   with models: each observation's row in the models' views
     * @param reportMoments  whether proposals report each objective's predicted mean and spread
     *                       (campaigns) or not (simulations only need the choice)
     * @param failedX        encoded designs of experiments that failed (without a retry allowed): the
     *                       feasibility classifier learns from them and the observed designs; empty: none
     * @param constraints    the outcome constraints with what was measured of their properties
     * @param observedMeets  per observation, whether its measured outcomes meet every constraint
     *                       (null without constraints)
     */
    public record Problem(List<Plan.Objective> objectives, double[] candidates, int dimensions,
            boolean[] available, int[] pending, double[][] observedX, List<double[]> observedValues, double[] costs,
            Acquisition acquisition, BatchSelector.Strategy batchStrategy, GaussianProcess.Options surrogate,
            int initialPoints, int size, List<ModelView> models, int[] observedRows, boolean reportMoments,
            double[][] failedX, List<ConstraintSeries> constraints, boolean[] observedMeets) {

        /** A problem without failures or outcome constraints. */
        public Problem(List<Plan.Objective> objectives, double[] candidates, int dimensions,
                boolean[] available, int[] pending, double[][] observedX, List<double[]> observedValues,
                double[] costs, Acquisition acquisition, BatchSelector.Strategy batchStrategy,
                GaussianProcess.Options surrogate, int initialPoints, int size, List<ModelView> models,
                int[] observedRows, boolean reportMoments) {
            this(objectives, candidates, dimensions, available, pending, observedX, observedValues, costs,
                    acquisition, batchStrategy, surrogate, initialPoints, size, models, observedRows, reportMoments,
                    new double[0][], List.of(), null);
        }

        public int count() {
            return available.length;
        }

        /** True when feasibility or outcome constraints weigh the acquisition. */
        boolean weighted() {
            return failedX.length > 0 || !constraints.isEmpty();
        }
    }

    /**
     * One outcome constraint and what was measured of its property: the encoded designs and the
     * values in the constraint's unit (results that did not measure the property are absent).
     */
    public record ConstraintSeries(Plan.OutcomeConstraint constraint, double[][] xs, double[] values) {
    }

    /** Fit diagnostics of one process. */
    public record Fit(String property, long observations, double[] lengthScales, double signalVariance,
            double noiseVariance, double logMarginalLikelihood) {

        static Fit of(String property, GaussianProcess gp) {
            return new Fit(property, gp.observations(), gp.hyperparameters().lengthScales(),
                    gp.hyperparameters().signalVariance(), gp.hyperparameters().noiseVariance(),
                    gp.logMarginalLikelihood());
        }
    }

    /**
     * A proposed batch: the picks (candidate rows) in order, and per pick and objective the
     * predicted mean and standard deviation in the objective's unit (NaN when not reported).
     */
    public record Proposal(List<BatchSelector.Pick> picks, double[][] mean, double[][] std, List<Fit> fits,
            Acquisition.Function function, double fitSeconds, double selectSeconds, double[] success,
            double[] meets) {

        Proposal(List<BatchSelector.Pick> picks, double[][] mean, double[][] std, List<Fit> fits,
                Acquisition.Function function, double fitSeconds, double selectSeconds) {
            this(picks, mean, std, fits, function, fitSeconds, selectSeconds, nans(picks.size()), nans(picks.size()));
        }

        /** The same proposal with each pick's probability of success and of meeting the constraints. */
        Proposal with(Outlook outlook) {
            if (outlook == null) {
                return this;
            }
            double[] s = nans(picks.size());
            double[] c = nans(picks.size());
            for (int k = 0; k < picks.size(); k++) {
                int row = picks.get(k).index();
                s[k] = outlook.success() == null ? Double.NaN : outlook.success()[row];
                c[k] = outlook.meets() == null ? Double.NaN : outlook.meets()[row];
            }
            return new Proposal(picks, mean, std, fits, function, fitSeconds, selectSeconds, s, c);
        }
    }

    /**
     * Per candidate, the probability that its experiment succeeds (null without failures) and that
     * its outcomes meet every constraint (null without constraints, or before any constraint has two
     * measurements), and the logarithm of their product that weighs the acquisition (null: neither).
     */
    public record Outlook(double[] success, double[] meets, double[] logWeights, FeasibilityModel classifier) {
    }

    private static double[] nans(int n) {
        double[] out = new double[n];
        Arrays.fill(out, Double.NaN);
        return out;
    }

    private final ExecutorService compute;
    private final int threads;

    /** @param compute threads for fitting and scoring (null: the calling thread only) */
    public BatchPlanner(ExecutorService compute, int threads) {
        this.compute = compute;
        this.threads = compute == null ? 1 : threads;
    }

    /** A fitter that fits every series afresh with the given options, on the planner's threads. */
    public Fitter freshFits(GaussianProcess.Options options) {
        return (series, xs, ys, random) -> GaussianProcess.fit(xs, ys, options, random, null, compute);
    }

    public Proposal propose(Problem problem, Fitter fitter, SplittableRandom random) {
        long started = System.nanoTime();
        List<Plan.Objective> objectives = problem.objectives();
        boolean hasModels = !problem.models().isEmpty();
        // a model knows something before the first result: no random start; random selection asks no model
        boolean fromModel = hasModels && problem.acquisition().function() != Acquisition.Function.RANDOM;
        boolean initial = !hasModels && problem.observedValues().size() < problem.initialPoints();
        if (initial || (!fromModel && problem.observedValues().isEmpty())) {
            List<BatchSelector.Pick> picks = randomPicks(problem.available(), problem.size(), random);
            double[][] nan = nanMoments(picks.size(), objectives.size());
            return new Proposal(picks, nan, nan, List.of(), Acquisition.Function.RANDOM, 0,
                    (System.nanoTime() - started) / 1e9);
        }
        if (fromModel) {
            Outlook outlook = outlook(problem, problem.candidates(), fitter, random);
            return (objectives.size() == 2 ? paretoFromModels(problem, fitter, random, started, outlook)
                    : fromModel(problem, fitter, random, started, outlook)).with(outlook);
        }
        List<Fit> fits = new ArrayList<>();
        boolean hypervolume = problem.acquisition().function() == Acquisition.Function.EXPECTED_HYPERVOLUME_IMPROVEMENT;
        // per objective, a process on the values as measured: what proposals report, and what EHVI scores
        GaussianProcess[] perObjective = new GaussianProcess[objectives.size()];
        if (problem.reportMoments() || hypervolume) {
            for (int o = 0; o < objectives.size(); o++) {
                perObjective[o] = fitter.fit("objective " + o, problem.observedX(), column(problem, o), random);
                fits.add(Fit.of(objectives.get(o).property(), perObjective[o]));
            }
        }
        Outlook outlook = outlook(problem, problem.candidates(), fitter, random);
        if (hypervolume) {
            long fitted = System.nanoTime();
            List<BatchSelector.Pick> picks = hypervolumePicks(problem, perObjective, fitter, random, outlook);
            double[][][] moments = moments(problem, perObjective, picks);
            return new Proposal(picks, moments[0], moments[1], fits, problem.acquisition().function(),
                    (fitted - started) / 1e9, (System.nanoTime() - fitted) / 1e9).with(outlook);
        }
        double[] scalar = Plan.scalarise(objectives, problem.observedValues(), random);
        PowerTransform warp = problem.surrogate().warpOutputs() ? PowerTransform.fit(scalar) : null;
        GaussianProcess driver;
        if (warp != null && warp.bends()) {
            // the driver sees the values bent towards normal; proposals report the unwarped processes' moments
            driver = fitter.fit("driver", problem.observedX(), warp.apply(scalar), random);
        } else if (objectives.size() == 1 && objectives.get(0).direction() == Plan.Direction.MAXIMISE
                && perObjective[0] != null) {
            driver = perObjective[0];
        } else {
            driver = fitter.fit("driver", problem.observedX(), scalar, random);
        }
        long fitted = System.nanoTime();
        // improvement is measured from the best fitted mean, not from the best (noisy) measurement
        BatchSelector selector = new BatchSelector(problem.acquisition(), problem.batchStrategy(), compute, threads)
                .weighted(outlook == null ? null : outlook.logWeights());
        List<BatchSelector.Pick> picks = selector.select(driver, problem.candidates(), problem.available(),
                incumbent(driver, problem), problem.pending(),
                problem.acquisition().costAware() ? problem.costs() : null, problem.size(), random);
        double[][][] moments = moments(problem, perObjective, picks);
        return new Proposal(picks, moments[0], moments[1], fits, problem.acquisition().function(),
                (fitted - started) / 1e9, (System.nanoTime() - fitted) / 1e9).with(outlook);
    }

    /**
     * The incumbent improvement is measured from: the best fitted mean at the observed designs, with
     * outcome constraints the best among the observations that met them (none met: the lowest fitted
     * mean, so that improvement is sought wherever the constraints are likely to hold).
     */
    private static double incumbent(GaussianProcess driver, Problem problem) {
        if (problem.observedMeets() == null) {
            return driver.bestFittedMean();
        }
        double[] fitted = driver.fittedMeans();
        double best = Double.NEGATIVE_INFINITY;
        double lowest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < fitted.length; j++) {
            lowest = Math.min(lowest, fitted[j]);
            if (problem.observedMeets()[j]) {
                best = Math.max(best, fitted[j]);
            }
        }
        return best > Double.NEGATIVE_INFINITY ? best : lowest;
    }

    /**
     * What failures and outcome constraints say about the given designs (rows of {@code points}):
     * the feasibility classifier on the observed (successful) and failed designs, a process per
     * constrained property with at least two measurements. Null when the problem has neither.
     */
    public Outlook outlook(Problem problem, double[] points, Fitter fitter, SplittableRandom random) {
        if (!problem.weighted()) {
            return null;
        }
        int rows = points.length / problem.dimensions();
        double[] logWeights = new double[rows];
        double[] success = null;
        FeasibilityModel classifier = null;
        if (problem.failedX().length > 0) {
            classifier = FeasibilityModel.fit(problem.observedX(), problem.failedX(),
                    (xs, labels) -> fitter.fit("feasibility", xs, labels, random), random);
            success = classifier.probabilityAll(points, compute, threads);
            for (int i = 0; i < rows; i++) {
                logWeights[i] += Math.log(Math.max(success[i], 1e-300));
            }
        }
        double[] meets = null;
        double[] mean = new double[rows];
        double[] std = new double[rows];
        for (ConstraintSeries series : problem.constraints()) {
            if (series.values().length < 2) {
                continue;
            }
            Plan.OutcomeConstraint constraint = series.constraint();
            GaussianProcess process = fitter.fit("constraint " + constraint.property(), series.xs(), series.values(),
                    random);
            process.predictAll(points, mean, std, compute, threads);
            if (meets == null) {
                meets = new double[rows];
                Arrays.fill(meets, 1);
            }
            for (int i = 0; i < rows; i++) {
                double margin = constraint.upper() ? constraint.bound() - mean[i] : mean[i] - constraint.bound();
                double p = std[i] > 0 ? NormalMath.cdf(margin / std[i]) : margin > 0 ? 1 : 0;
                meets[i] *= p;
                logWeights[i] += Math.log(Math.max(p, 1e-300));
            }
        }
        return new Outlook(success, meets, success == null && meets == null ? null : logWeights, classifier);
    }

    /**
     * Two objectives by expected hypervolume improvement: each objective's process in "larger is
     * better" orientation (a minimised one is its process negated; a target objective gets its own
     * process of -|value - target|), then {@link HypervolumeImprovement} with the observations and
     * the pending proposals' predicted means as the front.
     */
    private List<BatchSelector.Pick> hypervolumePicks(Problem problem, GaussianProcess[] perObjective, Fitter fitter,
            SplittableRandom random, Outlook outlook) {
        List<Plan.Objective> objectives = problem.objectives();
        int n = problem.count();
        double[][] means = new double[2][n];
        double[][] stds = new double[2][n];
        Double[] reference = new Double[2];
        List<double[]> believed = oriented(objectives, problem.observedValues());
        for (int o = 0; o < 2; o++) {
            Plan.Objective objective = objectives.get(o);
            GaussianProcess process = perObjective[o];
            double sign = objective.direction() == Plan.Direction.MINIMISE ? -1 : 1;
            if (objective.direction() == Plan.Direction.TARGET) {
                double[] oriented = new double[believed.size()];
                for (int i = 0; i < oriented.length; i++) {
                    oriented[i] = believed.get(i)[o];
                }
                process = fitter.fit("objective " + o + " oriented", problem.observedX(), oriented, random);
                sign = 1;
            }
            process.predictAll(problem.candidates(), means[o], stds[o], compute, threads);
            for (int i = 0; i < n; i++) {
                means[o][i] *= sign;
            }
            reference[o] = objective.reference() == null ? null : objective.oriented(objective.reference());
        }
        double[] point = HypervolumeImprovement.reference(believed, reference);
        return hypervolumeChoices(problem, means, stds, believed, point, outlook);
    }

    /**
     * EHVI picks. With feasibility or outcome constraints, a candidate's improvement is multiplied
     * by its probability (passed as a cost divided by it) and the front holds only the observations
     * that met the constraints.
     */
    private static List<BatchSelector.Pick> hypervolumeChoices(Problem problem, double[][] means, double[][] stds,
            List<double[]> believed, double[] reference, Outlook outlook) {
        if (problem.observedMeets() != null) {
            List<double[]> met = new ArrayList<>();
            for (int j = 0; j < believed.size() && j < problem.observedMeets().length; j++) {
                if (problem.observedMeets()[j]) {
                    met.add(believed.get(j));
                }
            }
            believed = met;
        }
        for (int at : problem.pending()) {
            believed.add(new double[] {means[0][at], means[1][at]});
        }
        double[] costs = problem.acquisition().costAware() ? problem.costs() : null;
        if (outlook != null && outlook.logWeights() != null) {
            double[] weighted = new double[problem.count()];
            for (int i = 0; i < weighted.length; i++) {
                weighted[i] = (costs == null ? 1 : costs[i]) / Math.max(Math.exp(outlook.logWeights()[i]), 1e-300);
            }
            costs = weighted;
        }
        List<BatchSelector.Pick> picks = new ArrayList<>();
        for (HypervolumeImprovement.Choice choice : HypervolumeImprovement.select(means, stds, problem.available(),
                believed, reference, costs, problem.size())) {
            picks.add(new BatchSelector.Pick(choice.index(), Double.NaN, Double.NaN, choice.expected()));
        }
        return picks;
    }

    /** One objective from its prediction model with a process on the model's standardised residuals. */
    private Proposal fromModel(Problem problem, Fitter fitter, SplittableRandom random, long started,
            Outlook outlook) {
        Plan.Objective objective = problem.objectives().get(0);
        ModelView model = problem.models().get(0);
        double[] y = new double[problem.observedValues().size()];
        for (int j = 0; j < y.length; j++) {
            y[j] = objective.oriented(problem.observedValues().get(j)[0]);
        }
        ModelPrior.Choice choice = model.prior().choose(problem.acquisition(), problem.observedRows(), y,
                problem.observedX(), problem.candidates(), problem.count(), problem.available(), problem.pending(),
                problem.costs(), problem.size(), z -> fitter.fit("residual 0", problem.observedX(), z, random), random,
                compute, threads, outlook == null ? null : outlook.logWeights());
        List<Fit> fits = choice.residual() == null ? List.of() : List.of(Fit.of(objective.property(), choice.residual()));
        List<BatchSelector.Pick> picks = choice.picks();
        double[][] mean = new double[picks.size()][1];
        double[][] std = new double[picks.size()][1];
        for (int k = 0; k < picks.size(); k++) {
            BatchSelector.Pick pick = picks.get(k);
            if (objective.direction() == Plan.Direction.TARGET) {
                // a target's picks carry the moments of -|value - target|: report the model's own prediction
                mean[k][0] = model.mean()[pick.index()];
                std[k][0] = model.std()[pick.index()];
            } else {
                mean[k][0] = objective.direction() == Plan.Direction.MINIMISE ? -pick.mean() : pick.mean();
                std[k][0] = pick.std();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Proposal(picks, mean, std, fits, problem.acquisition().function(), seconds, 0);
    }

    /**
     * Two objectives from prediction models: each objective's model with a process on its own
     * standardised residuals gives a Gaussian prediction per candidate and objective, and expected
     * hypervolume improvement chooses as with two processes. With nothing observed the models alone
     * predict, and the reference point, unless given, comes from their predictions over the candidates.
     */
    private Proposal paretoFromModels(Problem problem, Fitter fitter, SplittableRandom random, long started,
            Outlook outlook) {
        List<Plan.Objective> objectives = problem.objectives();
        int n = problem.count();
        double[][] means = new double[2][n];
        double[][] stds = new double[2][n];
        double[][] reportMean = new double[2][n];
        double[][] reportStd = new double[2][n];
        Double[] reference = new Double[2];
        List<Fit> fits = new ArrayList<>();
        List<double[]> believed = oriented(objectives, problem.observedValues());
        for (int o = 0; o < 2; o++) {
            Plan.Objective objective = objectives.get(o);
            ModelView model = problem.models().get(o);
            ModelPrior prior = model.prior();
            double[] latentMean = new double[n];
            double[] latentStd = new double[n];
            if (believed.isEmpty()) {
                Arrays.fill(latentStd, 1);
            } else {
                double[] z = new double[believed.size()];
                for (int j = 0; j < z.length; j++) {
                    int row = problem.observedRows()[j];
                    z[j] = (believed.get(j)[o] - prior.offset()[row]) / prior.scale()[row];
                }
                GaussianProcess residual = fitter.fit("residual " + o, problem.observedX(), z, random);
                fits.add(Fit.of(objective.property(), residual));
                residual.predictAll(problem.candidates(), latentMean, latentStd, compute, threads);
            }
            boolean target = objective.direction() == Plan.Direction.TARGET;
            for (int i = 0; i < n; i++) {
                means[o][i] = prior.offset()[i] + prior.scale()[i] * latentMean[i];
                stds[o][i] = prior.scale()[i] * latentStd[i];
                reportMean[o][i] = target ? model.mean()[i]
                        : objective.direction() == Plan.Direction.MINIMISE ? -means[o][i] : means[o][i];
                reportStd[o][i] = target ? model.std()[i] : stds[o][i];
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
        long fitted = System.nanoTime();
        List<BatchSelector.Pick> picks = hypervolumeChoices(problem, means, stds, believed, point, outlook);
        double[][] mean = new double[picks.size()][2];
        double[][] std = new double[picks.size()][2];
        for (int k = 0; k < picks.size(); k++) {
            for (int o = 0; o < 2; o++) {
                mean[k][o] = reportMean[o][picks.get(k).index()];
                std[k][o] = reportStd[o][picks.get(k).index()];
            }
        }
        return new Proposal(picks, mean, std, fits, problem.acquisition().function(), (fitted - started) / 1e9,
                (System.nanoTime() - fitted) / 1e9);
    }

    /**
     * The design the model believes best: {@code row} indexes the candidates, then the observed
     * designs (row {@code count() + j} is observation j). {@code mean} and {@code std} are the
     * objective's process's prediction in its unit; {@code success} and {@code meets} as on a
     * proposal (NaN when not modelled); {@code maxExpectedImprovement} the largest expected
     * improvement, in the objective's unit and weighted like the acquisition, over the open
     * candidates; {@code eligible} false when no design is likely (≥ 1/2) to succeed and meet the
     * constraints, and the most likely one was taken instead.
     */
    public record Recommendation(int row, double mean, double std, double success, double meets,
            double maxExpectedImprovement, boolean eligible, int scored) {
    }

    /**
     * The recommendation of a single-objective problem with a Gaussian process (no prediction
     * model): a process on the objective's values as measured, the best predicted mean in the
     * objective's direction (for a target: closest to it) among the candidates and the observed
     * designs that are likely (≥ 1/2) to succeed and to meet every outcome constraint, and the
     * largest expected improvement left among the open candidates over the best predicted mean at
     * the observed designs that met the constraints (in the objective's unit, weighted by the same
     * probabilities as the acquisition). Same seed, same answer.
     */
    public Recommendation recommend(Problem problem, Fitter fitter, SplittableRandom random) {
        if (problem.objectives().size() != 1 || !problem.models().isEmpty()) {
            throw new IllegalArgumentException("a recommendation needs one objective and a Gaussian process");
        }
        if (problem.observedValues().isEmpty()) {
            throw new IllegalArgumentException("nothing observed yet");
        }
        Plan.Objective objective = problem.objectives().get(0);
        int d = problem.dimensions();
        int n = problem.count();
        int m = problem.observedX().length;
        double[] points = Arrays.copyOf(problem.candidates(), (n + m) * d);
        for (int j = 0; j < m; j++) {
            System.arraycopy(problem.observedX()[j], 0, points, (n + j) * d, d);
        }
        GaussianProcess process = fitter.fit("objective 0", problem.observedX(), column(problem, 0), random);
        double[] mean = new double[n + m];
        double[] std = new double[n + m];
        process.predictAll(points, mean, std, compute, threads);
        Outlook outlook = outlook(problem, points, fitter, random);
        double[] probability = new double[n + m];
        Arrays.fill(probability, 1);
        if (outlook != null && outlook.logWeights() != null) {
            for (int i = 0; i < n + m; i++) {
                probability[i] = Math.exp(outlook.logWeights()[i]);
            }
        }
        int best = -1;
        int likeliest = 0;
        for (int i = 0; i < n + m; i++) {
            if (probability[i] > probability[likeliest]) {
                likeliest = i;
            }
            if (probability[i] >= 0.5 && (best < 0 || objective.oriented(mean[i]) > objective.oriented(mean[best]))) {
                best = i;
            }
        }
        boolean eligible = best >= 0;
        if (!eligible) {
            best = likeliest;
        }
        // improvement over the best predicted mean at an observed design that met the constraints
        double incumbent = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            if (problem.observedMeets() == null || problem.observedMeets()[j]) {
                incumbent = Math.max(incumbent, objective.oriented(mean[n + j]));
            }
        }
        double largest = 0;
        if (incumbent > Double.NEGATIVE_INFINITY) {
            for (int i = 0; i < n; i++) {
                if (!problem.available()[i] || !(std[i] > 0)) {
                    continue;
                }
                double gain = expectedImprovement(objective, mean[i], std[i], incumbent) * probability[i];
                largest = Math.max(largest, gain);
            }
        }
        double success = outlook == null || outlook.success() == null ? Double.NaN : outlook.success()[best];
        double meets = outlook == null || outlook.meets() == null ? Double.NaN : outlook.meets()[best];
        return new Recommendation(best, mean[best], std[best], success, meets, largest, eligible, n + m);
    }

    /**
     * E[max(g(Y) − incumbent, 0)] for Y ~ N(mean, std²) and g the objective's orientation: exact for
     * maximise and minimise (σ·h(z)); for a target, g(y) = −|y − t|, by the mean over 200 evenly
     * spaced normal quantiles (deterministic).
     */
    static double expectedImprovement(Plan.Objective objective, double mean, double std, double incumbent) {
        if (objective.direction() != Plan.Direction.TARGET) {
            double oriented = objective.oriented(mean);
            double z = (oriented - incumbent) / std;
            return std * Math.exp(NormalMath.logH(z));
        }
        double total = 0;
        int strata = 200;
        for (int k = 0; k < strata; k++) {
            double y = mean + std * NormalMath.inverseCdf((k + 0.5) / strata);
            total += Math.max(objective.oriented(y) - incumbent, 0);
        }
        return total / strata;
    }

    /**
     * Each pick's predicted mean ([0]) and standard deviation ([1]) per objective from the
     * per-objective processes, NaN when moments are not reported.
     */
    private static double[][][] moments(Problem problem, GaussianProcess[] perObjective,
            List<BatchSelector.Pick> picks) {
        int m = perObjective.length;
        if (!problem.reportMoments() || m == 0 || perObjective[0] == null) {
            double[][] nan = nanMoments(picks.size(), m);
            return new double[][][] {nan, nan};
        }
        double[][] means = new double[picks.size()][m];
        double[][] stds = new double[picks.size()][m];
        double[] mean = new double[1];
        double[] std = new double[1];
        int d = problem.dimensions();
        for (int k = 0; k < picks.size(); k++) {
            int row = picks.get(k).index();
            double[] point = Arrays.copyOfRange(problem.candidates(), row * d, (row + 1) * d);
            for (int o = 0; o < m; o++) {
                perObjective[o].predict(point, 0, 1, mean, std);
                means[k][o] = mean[0];
                stds[k][o] = std[0];
            }
        }
        return new double[][][] {means, stds};
    }

    private static double[][] nanMoments(int picks, int objectives) {
        double[][] out = new double[picks][objectives];
        for (double[] row : out) {
            Arrays.fill(row, Double.NaN);
        }
        return out;
    }

    private static double[] column(Problem problem, int objective) {
        double[] y = new double[problem.observedValues().size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = problem.observedValues().get(i)[objective];
        }
        return y;
    }

    /** Two objectives' observed values, each turned to "larger is better". */
    private static List<double[]> oriented(List<Plan.Objective> objectives, List<double[]> values) {
        List<double[]> oriented = new ArrayList<>();
        for (double[] observed : values) {
            oriented.add(new double[] {objectives.get(0).oriented(observed[0]), objectives.get(1).oriented(observed[1])});
        }
        return oriented;
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
}

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
     */
    public record Problem(List<Plan.Objective> objectives, double[] candidates, int dimensions,
            boolean[] available, int[] pending, double[][] observedX, List<double[]> observedValues, double[] costs,
            Acquisition acquisition, BatchSelector.Strategy batchStrategy, GaussianProcess.Options surrogate,
            int initialPoints, int size, List<ModelView> models, int[] observedRows, boolean reportMoments) {

        public int count() {
            return available.length;
        }
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
            Acquisition.Function function, double fitSeconds, double selectSeconds) {
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
            return objectives.size() == 2 ? paretoFromModels(problem, fitter, random, started)
                    : fromModel(problem, fitter, random, started);
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
        if (hypervolume) {
            long fitted = System.nanoTime();
            List<BatchSelector.Pick> picks = hypervolumePicks(problem, perObjective, fitter, random);
            double[][][] moments = moments(problem, perObjective, picks);
            return new Proposal(picks, moments[0], moments[1], fits, problem.acquisition().function(),
                    (fitted - started) / 1e9, (System.nanoTime() - fitted) / 1e9);
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
        BatchSelector selector = new BatchSelector(problem.acquisition(), problem.batchStrategy(), compute, threads);
        List<BatchSelector.Pick> picks = selector.select(driver, problem.candidates(), problem.available(),
                driver.bestFittedMean(), problem.pending(), problem.acquisition().costAware() ? problem.costs() : null,
                problem.size(), random);
        double[][][] moments = moments(problem, perObjective, picks);
        return new Proposal(picks, moments[0], moments[1], fits, problem.acquisition().function(),
                (fitted - started) / 1e9, (System.nanoTime() - fitted) / 1e9);
    }

    /**
     * Two objectives by expected hypervolume improvement: each objective's process in "larger is
     * better" orientation (a minimised one is its process negated; a target objective gets its own
     * process of -|value - target|), then {@link HypervolumeImprovement} with the observations and
     * the pending proposals' predicted means as the front.
     */
    private List<BatchSelector.Pick> hypervolumePicks(Problem problem, GaussianProcess[] perObjective, Fitter fitter,
            SplittableRandom random) {
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
        return hypervolumeChoices(problem, means, stds, believed, point);
    }

    private static List<BatchSelector.Pick> hypervolumeChoices(Problem problem, double[][] means, double[][] stds,
            List<double[]> believed, double[] reference) {
        for (int at : problem.pending()) {
            believed.add(new double[] {means[0][at], means[1][at]});
        }
        List<BatchSelector.Pick> picks = new ArrayList<>();
        for (HypervolumeImprovement.Choice choice : HypervolumeImprovement.select(means, stds, problem.available(),
                believed, reference, problem.acquisition().costAware() ? problem.costs() : null, problem.size())) {
            picks.add(new BatchSelector.Pick(choice.index(), Double.NaN, Double.NaN, choice.expected()));
        }
        return picks;
    }

    /** One objective from its prediction model with a process on the model's standardised residuals. */
    private Proposal fromModel(Problem problem, Fitter fitter, SplittableRandom random, long started) {
        Plan.Objective objective = problem.objectives().get(0);
        ModelView model = problem.models().get(0);
        double[] y = new double[problem.observedValues().size()];
        for (int j = 0; j < y.length; j++) {
            y[j] = objective.oriented(problem.observedValues().get(j)[0]);
        }
        ModelPrior.Choice choice = model.prior().choose(problem.acquisition(), problem.observedRows(), y,
                problem.observedX(), problem.candidates(), problem.count(), problem.available(), problem.pending(),
                problem.costs(), problem.size(), z -> fitter.fit("residual 0", problem.observedX(), z, random), random,
                compute, threads);
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
    private Proposal paretoFromModels(Problem problem, Fitter fitter, SplittableRandom random, long started) {
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
        List<BatchSelector.Pick> picks = hypervolumeChoices(problem, means, stds, believed, point);
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

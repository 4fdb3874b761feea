package org.mihub.planning.acquisition;

/**
 * How a candidate is scored from the surrogate's predictive mean and standard deviation. The
 * surrogate always maximises: minimised and target objectives are turned into maximised ones
 * before fitting.
 *
 * @param function    the acquisition function
 * @param beta        UCB exploration weight
 * @param xi          EI/PI improvement margin, in units of the observations' standard deviation
 * @param costAware   score gain per unit cost (in the log domain: log gain − log cost)
 */
public record Acquisition(Function function, double beta, double xi, boolean costAware) {

    /** The acquisition functions. */
    public enum Function {
        LOG_EXPECTED_IMPROVEMENT,
        UPPER_CONFIDENCE_BOUND,
        PROBABILITY_OF_IMPROVEMENT,
        THOMPSON_SAMPLING,
        PURE_EXPLORATION,
        RANDOM,
        /** Two objectives: scored over the Pareto front by {@link HypervolumeImprovement}, not per candidate here. */
        EXPECTED_HYPERVOLUME_IMPROVEMENT
    }

    public static Acquisition logExpectedImprovement() {
        return new Acquisition(Function.LOG_EXPECTED_IMPROVEMENT, 2, 0, false);
    }

    /**
     * The score of one candidate: larger is better.
     *
     * @param incumbent   the best (maximised) value observed or fantasised so far
     * @param outputScale the observations' standard deviation (xi is relative to it)
     * @param cost        the candidate's cost (used when cost-aware; positive)
     */
    public double score(double mean, double std, double incumbent, double outputScale, double cost) {
        double margin = xi * outputScale;
        double score;
        switch (function) {
            case LOG_EXPECTED_IMPROVEMENT -> {
                double z = (mean - incumbent - margin) / std;
                score = Math.log(std) + NormalMath.logH(z);
            }
            case PROBABILITY_OF_IMPROVEMENT -> score = NormalMath.logCdf((mean - incumbent - margin) / std);
            case UPPER_CONFIDENCE_BOUND -> {
                double bound = mean + beta * std;
                if (!costAware) {
                    return bound;
                }
                // gain over the incumbent, floored so that every candidate still ranks
                score = Math.log(Math.max(bound - incumbent, 1e-12 * outputScale));
            }
            case PURE_EXPLORATION -> {
                if (!costAware) {
                    return std;
                }
                score = Math.log(std);
            }
            default -> throw new IllegalStateException(function + " is not scored per candidate");
        }
        return costAware ? score - Math.log(cost) : score;
    }

    /**
     * True when conditioning the surrogate on a fantasised observation at its predicted mean
     * (kriging believer) can only lower every candidate's score: the mean is unchanged, every
     * standard deviation shrinks and the incumbent can only rise. EI and UCB grow with the standard
     * deviation; PI does not (a candidate above the incumbent gains from certainty).
     */
    public boolean monotoneUnderConditioning() {
        return function == Function.LOG_EXPECTED_IMPROVEMENT || function == Function.UPPER_CONFIDENCE_BOUND
                || function == Function.PURE_EXPLORATION;
    }
}

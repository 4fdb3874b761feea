package org.mihub.planning.service;

/** Counters of a campaign, and what its budget leaves (null: no such budget). */
public record Progress(int proposed, int pending, int completed, int failed, int cancelled, int batches,
        long observations, double costSpent, Integer experimentsRemaining, Double costRemaining) {

    /** True when the budget in experiments or in cost is used up. */
    public boolean spent() {
        return experimentsRemaining != null && experimentsRemaining == 0 || costRemaining != null && costRemaining <= 0;
    }
}

package org.mihub.planning.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a lab reports for proposals (tell), and what the campaign answers. */
public final class Results {

    private Results() {
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

    /**
     * What happened to one reported result: the proposal's state, and the catalog material and
     * measurements a measured result was written to (null and empty for failures and for candidates
     * that are no material).
     */
    public record Ack(UUID proposalId, String state, boolean duplicate, String materialId,
            List<String> measurementIds) {
    }

    /** The outcome of a tell. */
    public record Told(List<Ack> acks, CampaignView campaign) {
    }
}

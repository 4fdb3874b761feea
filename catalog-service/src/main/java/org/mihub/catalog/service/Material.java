package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A material as read back: composition fields, process history, crystal structure (or null) and
 * external ids (as stored JSON) and measurements in canonical units.
 */
public record Material(UUID id, UUID datasetId, String ownerOrg, String sampleKey, String formula,
        Map<String, Double> composition, String reducedFormula, List<String> elements, int nelements,
        List<String> tags, String processStepsJson, String structureJson, String externalIdsJson, int datasetVersion,
        String createdBy, Instant createdAt, List<Measurement> measurements) {

    public record Measurement(UUID id, String property, double value, String unit, Double uncertainty,
            double reportedValue, String reportedUnit, String method, String instrument, String conditionsJson,
            String source, String sourceRef, String campaignId, String proposalId, String label) {

        /** Whether this is a categorical, boolean or text measurement (its value is its label's code). */
        public boolean labelled() {
            return label != null;
        }
    }

    public Material withMeasurements(List<Measurement> all) {
        return new Material(id, datasetId, ownerOrg, sampleKey, formula, composition, reducedFormula, elements,
                nelements, tags, processStepsJson, structureJson, externalIdsJson, datasetVersion, createdBy, createdAt, all);
    }
}

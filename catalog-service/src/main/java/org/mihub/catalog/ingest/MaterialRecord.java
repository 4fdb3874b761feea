package org.mihub.catalog.ingest;

import java.util.List;

import org.mihub.common.chemistry.Composition;

/**
 * One validated material of an ingest, values already in canonical units. The crystal structure
 * (or null) and the external ids are the validated JSON the catalog stores.
 */
public record MaterialRecord(long row, String sampleKey, String formula, Composition composition, List<String> tags,
        List<ProcessStep> processSteps, List<Measurement> measurements, String structureJson,
        String externalIdsJson) {

    /** A parameter of a process step or a condition of a measurement: a quantity or a text. */
    public record Parameter(String name, Double value, String unit, String text) {
    }

    public record ProcessStep(int index, String kind, List<Parameter> parameters) {
    }

    /**
     * @param value          in the property's canonical unit
     * @param uncertainty    in the canonical unit, or null
     * @param reportedValue  as given
     * @param reportedUnit   as given
     * @param source         experiment, simulation or prediction
     * @param label          the value of a categorical ("fcc"), boolean ("true", "false") or text property,
     *                       whose {@code value} is then its code (see migration V9); null for a numeric one
     */
    public record Measurement(String property, double value, Double uncertainty, double reportedValue,
            String reportedUnit, String method, String instrument, List<Parameter> conditions, String source,
            String campaignId, String proposalId, String label) {
    }
}

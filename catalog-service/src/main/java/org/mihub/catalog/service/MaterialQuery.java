package org.mihub.catalog.service;

import java.util.List;
import java.util.UUID;

/**
 * A material search: every given criterion must hold. Property bounds are in {@code unit} (empty:
 * canonical) and converted before comparing.
 */
public record MaterialQuery(List<String> elements, ElementMatch match, Integer minElements, Integer maxElements,
        String formula, List<PropertyRange> properties, List<UUID> datasetIds, List<String> ownerOrgs,
        List<String> sources, String text) {

    public enum ElementMatch {
        ALL, ANY, ONLY, EXACTLY
    }

    /**
     * A numeric property's range ({@code min}, {@code max} in {@code unit}), or the labels a categorical,
     * boolean or text property's measurement must have ({@code labels}; after validation {@code codes},
     * the labels' stored codes, for categorical and boolean properties).
     */
    public record PropertyRange(String property, Double min, Double max, String unit, List<String> labels,
            List<Double> codes) {

        public PropertyRange(String property, Double min, Double max, String unit) {
            this(property, min, max, unit, List.of(), List.of());
        }
    }

    public enum SortField {
        ID, REDUCED_FORMULA, NELEMENTS, CREATED_AT, PROPERTY
    }

    public record Sort(SortField field, String property, boolean descending) {
    }
}

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

    public record PropertyRange(String property, Double min, Double max, String unit) {
    }

    public enum SortField {
        ID, REDUCED_FORMULA, NELEMENTS, CREATED_AT, PROPERTY
    }

    public record Sort(SortField field, String property, boolean descending) {
    }
}

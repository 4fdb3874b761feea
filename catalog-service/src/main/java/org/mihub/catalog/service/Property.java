package org.mihub.catalog.service;

/**
 * A property of the vocabulary; its values are stored in {@code canonicalUnit}. {@code minimum} and
 * {@code maximum} are the values it can possibly take, in that unit, when it is bounded (a band gap is
 * at least 0); null when it is not.
 */
public record Property(String name, String displayName, String canonicalUnit, String quantityKind,
        String description, Double minimum, Double maximum) {
}

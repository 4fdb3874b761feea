package org.mihub.catalog.service;

/** A property of the vocabulary; its values are stored in {@code canonicalUnit}. */
public record Property(String name, String displayName, String canonicalUnit, String quantityKind,
        String description) {
}

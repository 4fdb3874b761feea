package org.mihub.catalog.service;

import java.util.List;

import org.mihub.common.error.ApiException;

/** A property was asked for under a name the vocabulary has with another value type or unit: ALREADY_EXISTS. */
public class PropertyConflictException extends ApiException {

    private final Property existing;

    public PropertyConflictException(Property existing, String asked) {
        super(Kind.ALREADY_EXISTS, "property '" + existing.name() + "' exists as " + existing.summary() + ", not "
                + asked + "; use it, or choose another name", List.of());
        this.existing = existing;
    }

    /** The definition the vocabulary has. */
    public Property existing() {
        return existing;
    }
}

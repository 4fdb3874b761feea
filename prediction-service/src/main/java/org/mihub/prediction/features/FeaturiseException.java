package org.mihub.prediction.features;

/** A composition the featuriser cannot describe, e.g. an element beyond its table. */
public final class FeaturiseException extends RuntimeException {

    private final String element;

    public FeaturiseException(String element, String message) {
        super(message);
        this.element = element;
    }

    public String element() {
        return element;
    }
}

package org.mihub.gateway.error;

/**
 * The caller's own input is wrong in a way the gateway sees before any backend is asked (a query
 * parameter, an enum spelling, a missing body): a 400 naming the field and the reason.
 */
public final class InvalidInput extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidInput(String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}

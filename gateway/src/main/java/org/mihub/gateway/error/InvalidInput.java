package org.mihub.gateway.error;

/**
 * The caller's own input is wrong in a way the gateway sees before any backend is asked (a query
 * parameter, an enum spelling, a missing body): a 400 naming the field and the reason.
 */
public final class InvalidInput extends RuntimeException {

    private final String field;
    private final String reason;

    /** The detail reads "{@code field}: {@code reason}". */
    public InvalidInput(String field, String reason) {
        this(field, reason, field + ": " + reason);
    }

    /** With a detail of its own, e.g. one that already names the field. */
    public InvalidInput(String field, String reason, String detail) {
        super(detail, null, false, false);
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

package org.mihub.catalog.optimade;

import java.util.List;

import org.mihub.common.error.ApiException;

/** A filter that is not in the OPTIMADE grammar: where (1-based character position) and why. */
public final class FilterSyntaxException extends ApiException {

    private final int position;

    public FilterSyntaxException(int position, String reason) {
        super(Kind.INVALID_ARGUMENT, "filter: position " + position + ": " + reason,
                List.of(new FieldViolation("filter", "position " + position + ": " + reason)));
        this.position = position;
    }

    public int position() {
        return position;
    }
}

package org.mihub.gateway.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail}, plus what the
 * backend said about the input: field violations and, for a rejected upload, every row problem.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
        List<RowError> rejections, Long rowsReceived, Long rowsRejected, Boolean truncated) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RowError(long row, long line, String column, String code, String reason, String value,
            Integer position) {
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null, null, null);
    }

    /** A 400 about one field (of the body, or a query parameter); the detail is also the field's reason. */
    public static Problem badField(String field, String detail) {
        return new Problem("about:blank", "Bad Request", 400, detail, List.of(new FieldError(field, detail)), null,
                null, null, null);
    }
}

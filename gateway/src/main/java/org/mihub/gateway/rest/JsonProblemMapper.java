package org.mihub.gateway.rest;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.mihub.common.text.Suggestions;
import org.mihub.gateway.view.ModelViews.HyperparametersInput;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * A JSON body that does not parse, or does not fit the request's shape, is a 400 problem saying
 * where (line, column, and the field's path) in the caller's terms, without Java type names. A field
 * the request does not have is refused too, naming it and the closest known one.
 */
public class JsonProblemMapper {

    /** The problem for any Jackson failure (the REST layer sometimes wraps them in a plain 400). */
    static Response toResponse(com.fasterxml.jackson.core.JsonProcessingException exception) {
        if (exception instanceof JsonParseException parse) {
            return parseProblem(parse);
        }
        if (exception instanceof MismatchedInputException mismatch) {
            return mismatchProblem(mismatch);
        }
        if (exception instanceof JsonMappingException mapping) {
            return mappingProblem(mapping);
        }
        return badRequest("the body is not valid JSON" + at(exception.getLocation()), null);
    }

    @ServerExceptionMapper
    public Response malformed(JsonParseException exception) {
        return parseProblem(exception);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException exception) {
        return mismatchProblem(exception);
    }

    @ServerExceptionMapper
    public Response otherwise(JsonMappingException exception) {
        return mappingProblem(exception);
    }

    private static Response parseProblem(JsonParseException exception) {
        return badRequest("the body is not valid JSON" + at(exception.getLocation()) + ": "
                + exception.getOriginalMessage().split("\n")[0].replaceAll(" \\(for .*?\\)", ""), null);
    }

    private static Response mismatchProblem(MismatchedInputException exception) {
        String field = path(exception);
        if (exception instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown, field);
        }
        String expected = expected(exception.getTargetType());
        String what = exception instanceof InvalidFormatException invalid
                ? "'" + invalid.getValue() + "' is not " + expected
                : "expected " + expected;
        return badRequest("the body does not fit the request" + at(exception.getLocation()) + ": "
                + (field.isEmpty() ? what : "field '" + field + "': " + what), field);
    }

    /**
     * A field the request does not have (quarkus.jackson.fail-on-unknown-properties): refused rather than
     * ignored, so a typo is not silently a default. "hyperparameters.nTress: unknown hyperparameter; did
     * you mean nTrees?", with the field's path in errors[0].
     */
    private static Response unknownField(UnrecognizedPropertyException unknown, String field) {
        String name = unknown.getPropertyName();
        List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        String reason = (unknown.getReferringClass() == HyperparametersInput.class ? "unknown hyperparameter"
                : "unknown field") + Suggestions.didYouMean(name, known);
        String path = field.isEmpty() ? name : field;
        String where = at(unknown.getLocation());
        Problem problem = new Problem("about:blank", "Bad Request", 400,
                path + ": " + reason + (where.isEmpty() ? "" : " (" + where.trim() + ")"),
                List.of(new Problem.FieldError(path, reason)), null, null, null, null);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static Response mappingProblem(JsonMappingException exception) {
        String field = path(exception);
        return badRequest("the body does not fit the request" + at(exception.getLocation())
                + (field.isEmpty() ? "" : ": field '" + field + "'"), field);
    }

    private static Response badRequest(String detail, String field) {
        var problem = field == null || field.isEmpty() ? Problem.of(400, "Bad Request", detail)
                : Problem.badField(field, detail);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The field's path in the body, as {@code measurements[0].value}. */
    private static String path(JsonMappingException exception) {
        return exception.getPath().stream().map(reference -> reference.getFieldName() != null
                ? "." + reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    /** The kind of JSON value a Java type is read from. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == String.class || type.isEnum() || CharSequence.class.isAssignableFrom(type)) {
            return type.isEnum() ? "one of the allowed names" : "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}

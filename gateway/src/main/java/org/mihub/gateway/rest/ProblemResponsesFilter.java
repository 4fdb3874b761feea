package org.mihub.gateway.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Adds to every {@code /api/v1} operation of the OpenAPI document the problem+json answers the
 * gateway gives (400, 401, 403, 404, 429, 503), each with an example, and the {@code Problem}
 * schema they share. Runs when the document is built.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    private static final String REF = "#/components/schemas/Problem";

    /** Status → (description, example detail). */
    private static final Map<String, String[]> ANSWERS = new LinkedHashMap<>();

    static {
        ANSWERS.put("400", new String[] {"Bad Request", "field 'licence': expected a string"});
        ANSWERS.put("401", new String[] {"Unauthorized", AuthenticationProblemHandler.detail(true)});
        ANSWERS.put("403", new String[] {"Forbidden", "role 'contributor' in organisation 'acme' is required"});
        ANSWERS.put("404", new String[] {"Not Found", "dataset 3f0c2a6e-9b1d-4c57-8e2a-5d7f1b9c0a11 not found"});
        ANSWERS.put("429", new String[] {"Too Many Requests",
                "organisation acme made more than 2000 requests in 1000 ms; retry after 1 s"});
        ANSWERS.put("503", new String[] {"Service Unavailable",
                "the catalog service is unavailable; retry after 5 s"});
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        openAPI.getComponents().addSchema("OptimadeErrors", optimadeErrorsSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/v1")) {
                item.getOperations().values().forEach(ProblemResponsesFilter::addProblems);
            } else if (path.startsWith("/optimade/{version}")) {
                item.getOperations().values().forEach(ProblemResponsesFilter::addOptimadeErrors);
            }
        });
    }

    private static void addProblems(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        ANSWERS.forEach((status, answer) -> {
            if (operation.getResponses().hasAPIResponse(status)) {
                return;
            }
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("type", "about:blank");
            example.put("title", answer[0]);
            example.put("status", Integer.parseInt(status));
            example.put("detail", answer[1]);
            operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(answer[0])
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref(REF)).example(example))));
        });
    }

    /** The OPTIMADE API answers with JSON:API error documents instead of problems. */
    private static void addOptimadeErrors(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("400", "Bad Request: a parameter or a filter that is not valid (the detail gives the position)");
        answers.put("401", "Unauthorized: a token that is not valid (none is needed: anonymous callers see PUBLIC data)");
        answers.put("403", "Forbidden: page_limit above 500");
        answers.put("404", "Not Found: no such entry (or hidden from the caller), or no such endpoint");
        answers.put("501", "Not Implemented: a grammatical filter asking for something this database does not do");
        answers.put("503", "Service Unavailable: the catalog cannot be reached");
        answers.put("553", "Version Not Supported: an OPTIMADE version this server does not serve");
        answers.forEach((status, description) -> {
            if (!operation.getResponses().hasAPIResponse(status)) {
                operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                        .content(OASFactory.createContent().addMediaType(OptimadeMeta.MEDIA_TYPE,
                                OASFactory.createMediaType().schema(OASFactory.createSchema()
                                        .ref("#/components/schemas/OptimadeErrors")))));
            }
        });
    }

    private static Schema optimadeErrorsSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema error = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("status", text).addProperty("title", text).addProperty("detail", text)
                .addProperty("source", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                        .addProperty("parameter", text));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("A JSON:API error document of the OPTIMADE API, with the OPTIMADE meta object")
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(error))
                .addProperty("meta", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT));
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema integer = OASFactory.createSchema().addType(Schema.SchemaType.INTEGER);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", text).addProperty("reason", text);
        Schema rowError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("row", integer).addProperty("line", integer).addProperty("column", text)
                .addProperty("code", text).addProperty("reason", text).addProperty("value", text)
                .addProperty("position", integer);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem; errors name fields, rejections name rows of an upload")
                .addProperty("type", text).addProperty("title", text).addProperty("status", integer)
                .addProperty("detail", text)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .addProperty("rejections", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(rowError))
                .addProperty("rowsReceived", integer).addProperty("rowsRejected", integer)
                .addProperty("truncated", OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN));
    }
}

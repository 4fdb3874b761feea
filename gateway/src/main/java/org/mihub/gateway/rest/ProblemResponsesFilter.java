package org.mihub.gateway.rest;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Documents on every {@code /api/v1} operation of the OpenAPI document the problem+json answers it
 * really gives, each with the {@code Problem} schema and an example; runs when the document is built.
 * Every operation: 401 (a token that is not valid, or none where one is needed), 429 (the
 * organisation's allowance), 503 and 504 (a backend unreachable or too slow). With a parameter or a
 * body: 400 naming the field. With a path parameter: 404 (unknown or hidden). With a body: 413 (above
 * {@code mihub.gateway.max-request-bytes}) and 415. Where a role is needed (the operations Quarkus marks
 * 403): 403 naming the role and, for a write, 409 (the state does not allow it, or a concurrent change:
 * retry). An answer an operation declares itself ({@code @APIResponse}) keeps its description and gets
 * the schema when it has no content. No operation answers 422: a body that is well-formed JSON but
 * wrong is 400 naming the field.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    private static final String REF = "#/components/schemas/Problem";

    /** Status → (title, example detail). */
    private static final Map<String, String[]> ANSWERS = new LinkedHashMap<>();

    static {
        ANSWERS.put("400", new String[] {"Bad Request", "licence: expected a string, not a number"});
        ANSWERS.put("401", new String[] {"Unauthorized", AuthenticationProblemHandler.detail(true)});
        ANSWERS.put("403", new String[] {"Forbidden", "role 'contributor' in organisation 'acme' is required"});
        ANSWERS.put("404", new String[] {"Not Found", "dataset 3f0c2a6e-9b1d-4c57-8e2a-5d7f1b9c0a11 not found"});
        ANSWERS.put("409", new String[] {"Conflict", "campaign is paused: no new proposals"});
        ANSWERS.put("413", new String[] {"Payload Too Large", "the request body is larger than 4194304 bytes"});
        ANSWERS.put("415", new String[] {"Unsupported Media Type", "text/plain is not accepted here"});
        ANSWERS.put("429", new String[] {"Too Many Requests",
                "organisation acme made more than 2000 requests in 1000 ms; retry after 1 s"});
        ANSWERS.put("503", new String[] {"Service Unavailable",
                "the catalog service is unavailable; retry after 5 s"});
        ANSWERS.put("504", new String[] {"Gateway Timeout", "Gateway Timeout"});
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
                item.getOperations().forEach((method, operation) -> addProblems(path, method, operation));
            } else if (path.equals("/optimade/versions")) {
                item.getOperations().values().forEach(operation -> operation.getResponses().addAPIResponse("429",
                        OASFactory.createAPIResponse().description("Too Many Requests: the caller's allowance is used up")));
            } else if (path.startsWith("/optimade/{version}")) {
                item.getOperations().values().forEach(ProblemResponsesFilter::addOptimadeErrors);
            }
        });
    }

    private static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        boolean body = operation.getRequestBody() != null;
        boolean parameters = body || operation.getParameters() != null && !operation.getParameters().isEmpty();
        boolean roles = operation.getResponses().hasAPIResponse("403");
        Set<String> statuses = new LinkedHashSet<>();
        if (parameters) {
            statuses.add("400");
        }
        statuses.add("401");
        if (roles) {
            statuses.add("403");
        }
        if (path.contains("{")) {
            statuses.add("404");
        }
        if (roles && method != PathItem.HttpMethod.GET) {
            statuses.add("409");
        }
        if (body) {
            statuses.add("413");
            statuses.add("415");
        }
        statuses.add("429");
        statuses.add("503");
        statuses.add("504");
        operation.getResponses().getAPIResponses().keySet().stream()
                .filter(status -> status.startsWith("4") || status.startsWith("5")).forEach(statuses::add);
        for (String status : statuses) {
            String[] answer = ANSWERS.getOrDefault(status, new String[] {"Problem", "see the title"});
            APIResponse response = operation.getResponses().getAPIResponse(status);
            if (response == null) {
                response = OASFactory.createAPIResponse().description(answer[0]);
                operation.getResponses().addAPIResponse(status, response);
            } else if (response.getDescription() == null || response.getDescription().equals("Not Authorized")
                    || response.getDescription().equals("Not Allowed")) {
                response.setDescription(answer[0]); // Quarkus's own words for the 401 and 403 it adds
            }
            if (response.getContent() == null || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty()) {
                Map<String, Object> example = new LinkedHashMap<>();
                example.put("type", "about:blank");
                example.put("title", answer[0]);
                example.put("status", Integer.parseInt(status));
                example.put("detail", answer[1]);
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)).example(example)));
            }
        }
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

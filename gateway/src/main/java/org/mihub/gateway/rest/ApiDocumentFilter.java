package org.mihub.gateway.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.mihub.gateway.client.ContractSchemas;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Makes the OpenAPI document one that generates a good client, when the document is built:
 * <ul>
 * <li>the planning bodies and answers get their schemas from the contract ({@link ContractSchemas}:
 * one definition, the proto), and the Jackson tree types the planning resource is written with
 * ({@code JsonNode}, {@code ObjectNode}) leave the document;
 * <li>every view field and query parameter written or read as a contract enum lists its values;
 * <li>an operation open to anonymous callers says so ({@code security: [{}, {SecurityScheme: []}]}: a
 * token is optional), so every operation states its security;
 * <li>an operation without an {@code operationId} of its own (the OPTIMADE API's, named after the
 * specification's endpoints) gets one from its path: {@code getOptimadeStructuresById}.
 * </ul>
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    static final String SCHEME = "SecurityScheme";
    private static final Set<String> JACKSON_TREES = Set.of("JsonNode", "ObjectNode", "JsonNodeType");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        ContractSchemas.planning().forEach((name, schema) -> {
            if (openAPI.getComponents().getSchemas() != null && openAPI.getComponents().getSchemas().containsKey(name)
                    && !JACKSON_TREES.contains(name)) {
                throw new IllegalStateException("the contract schema " + name + " would replace a view's; rename one");
            }
            openAPI.getComponents().addSchema(name, schema);
        });
        JACKSON_TREES.forEach(openAPI.getComponents()::removeSchema);
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().forEach(ApiDocumentFilter::listEnums);
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            queryEnums(path, operation);
            if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
                List<SecurityRequirement> optional = new ArrayList<>();
                optional.add(OASFactory.createSecurityRequirement());
                optional.add(OASFactory.createSecurityRequirement().addScheme(SCHEME));
                operation.setSecurity(optional);
            }
            if (operation.getOperationId() == null || operation.getOperationId().isBlank()) {
                operation.setOperationId(operationId(method, path));
            }
        }));
    }

    private static void listEnums(String name, Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((property, value) -> {
            List<String> values = ContractSchemas.viewEnum(name, property);
            if (values == null) {
                return;
            }
            Schema target = value.getItems() != null ? value.getItems() : value;
            target.setEnumeration(new ArrayList<>(values));
        });
    }

    private static void queryEnums(String path, Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            if (parameter.getIn() != Parameter.In.QUERY || parameter.getSchema() == null) {
                continue;
            }
            List<String> values = ContractSchemas.queryEnum(path, parameter.getName());
            if (values != null) {
                Schema target = parameter.getSchema().getItems() != null ? parameter.getSchema().getItems()
                        : parameter.getSchema();
                target.setEnumeration(new ArrayList<>(values));
            }
        }
    }

    /** {@code GET /optimade/{version}/structures/{id}} is {@code getOptimadeStructuresById}; the version is left out. */
    static String operationId(PathItem.HttpMethod method, String path) {
        StringBuilder id = new StringBuilder(method.name().toLowerCase(Locale.ROOT));
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals("{version}") || segment.equals("api") || segment.equals("v1")) {
                continue;
            }
            if (segment.startsWith("{")) {
                id.append("By");
                segment = segment.substring(1, segment.length() - 1);
            }
            for (String word : segment.split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.toString();
    }
}

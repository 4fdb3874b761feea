package org.mihub.gateway.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.mihub.api.catalog.v1.AccessOperation;
import org.mihub.api.catalog.v1.IngestOutcome;
import org.mihub.api.catalog.v1.MeasurementSource;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.ListCampaignsResponse;
import org.mihub.api.planning.v1.ListProposalsResponse;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.Recommendation;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.ReportResultsResponse;
import org.mihub.api.planning.v1.Simulation;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;
import org.mihub.api.prediction.v1.Algorithm;
import org.mihub.api.prediction.v1.DuplicatePolicy;
import org.mihub.api.prediction.v1.FormulaErrorCode;
import org.mihub.api.prediction.v1.ModelStatus;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;

/**
 * The OpenAPI schemas of what the contract defines, made from its descriptors so the API document
 * has no second copy of it: every planning body and answer (the messages {@link PlanningClient} reads
 * and writes with {@link ProtoJson}, in the REST dialect: camelCase fields, enum values as {@link
 * ProtoJson#shortName} spells them, 64-bit integers as numbers, timestamps as RFC 3339), and the
 * values of each enum a view speaks as text ({@code DatasetView.visibility}, {@code JobView.state}...).
 * Used when the document is built ({@code rest/ApiDocumentFilter}).
 */
public final class ContractSchemas {

    /** The planning bodies and answers by component name, and the fields of each that the path gives instead. */
    private static final Map<Descriptor, Set<String>> PLANNING = new LinkedHashMap<>();

    static {
        PLANNING.put(CreateCampaignRequest.getDescriptor(), Set.of());
        PLANNING.put(Campaign.getDescriptor(), Set.of());
        PLANNING.put(ListCampaignsResponse.getDescriptor(), Set.of());
        PLANNING.put(UpdateCampaignStatusRequest.getDescriptor(), Set.of("id"));
        PLANNING.put(ProposeBatchRequest.getDescriptor(), Set.of("campaign_id"));
        PLANNING.put(ProposeBatchResponse.getDescriptor(), Set.of());
        PLANNING.put(ListProposalsResponse.getDescriptor(), Set.of());
        PLANNING.put(ReportResultsRequest.getDescriptor(), Set.of("campaign_id"));
        PLANNING.put(ReportResultsResponse.getDescriptor(), Set.of());
        PLANNING.put(StartSimulationRequest.getDescriptor(), Set.of());
        PLANNING.put(Job.getDescriptor(), Set.of());
        PLANNING.put(Simulation.getDescriptor(), Set.of());
        PLANNING.put(Recommendation.getDescriptor(), Set.of());
    }

    /**
     * View fields written from a contract enum (by the mappers, with {@code CommonMapper.name}) and
     * input fields read as one: schema name → property → enum. A list field lists its items' values.
     */
    private static final Map<String, Map<String, EnumDescriptor>> VIEW_ENUMS = new LinkedHashMap<>();

    static {
        EnumDescriptor visibility = Visibility.getDescriptor();
        VIEW_ENUMS.put("DatasetView", Map.of("visibility", visibility));
        VIEW_ENUMS.put("DatasetInput", Map.of("visibility", visibility));
        VIEW_ENUMS.put("SharingInput", Map.of("visibility", visibility));
        VIEW_ENUMS.put("EmbargoView", Map.of("liftsTo", visibility));
        VIEW_ENUMS.put("IngestResultView", Map.of("outcome", IngestOutcome.getDescriptor()));
        VIEW_ENUMS.put("AccessView", Map.of("operation", AccessOperation.getDescriptor()));
        VIEW_ENUMS.put("MeasurementView", Map.of("source", MeasurementSource.getDescriptor()));
        VIEW_ENUMS.put("ModelView", Map.of("visibility", visibility, "status", ModelStatus.getDescriptor(),
                "algorithm", Algorithm.getDescriptor(), "sources", MeasurementSource.getDescriptor(),
                "duplicates", DuplicatePolicy.getDescriptor()));
        VIEW_ENUMS.put("TrainInput", Map.of("algorithm", Algorithm.getDescriptor(),
                "sources", MeasurementSource.getDescriptor(), "duplicates", DuplicatePolicy.getDescriptor()));
        VIEW_ENUMS.put("LineageView", Map.of("visibility", visibility));
        VIEW_ENUMS.put("JobView", Map.of("state", JobState.getDescriptor()));
        VIEW_ENUMS.put("FormulaErrorView", Map.of("code", FormulaErrorCode.getDescriptor()));
    }

    /** Query parameters read as a contract enum: name → enum (the same name means the same enum on every path). */
    private static final Map<String, Map<String, EnumDescriptor>> QUERY_ENUMS = Map.of(
            "/api/v1/datasets", Map.of("visibility", Visibility.getDescriptor()),
            "/api/v1/models", Map.of("status", ModelStatus.getDescriptor()),
            "/api/v1/campaigns", Map.of("status", CampaignStatus.getDescriptor()),
            "/api/v1/campaigns/{id}", Map.of("view", CampaignView.getDescriptor()),
            "/api/v1/campaigns/{id}/proposals", Map.of("state", ProposalState.getDescriptor()),
            "/api/v1/materials", Map.of("source", MeasurementSource.getDescriptor()));

    private ContractSchemas() {
    }

    /** The schema of every planning body and answer and of every message and enum they hold, by component name. */
    public static Map<String, Schema> planning() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        List<Descriptor> pending = new ArrayList<>(PLANNING.keySet());
        List<EnumDescriptor> enums = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Descriptor type = pending.get(i);
            String name = claim(owners, type.getName(), type.getFullName());
            if (name == null) {
                continue;
            }
            Set<String> omitted = PLANNING.getOrDefault(type, Set.of());
            schemas.put(name, message(type, omitted, pending, enums));
        }
        for (EnumDescriptor type : enums) {
            String name = claim(owners, type.getName(), type.getFullName());
            if (name != null) {
                schemas.put(name, enumeration(type));
            }
        }
        return schemas;
    }

    /** The values a view property written from a contract enum takes, or null when it is plain text. */
    public static List<String> viewEnum(String schema, String property) {
        EnumDescriptor type = VIEW_ENUMS.getOrDefault(schema, Map.of()).get(property);
        return type == null ? null : values(type);
    }

    /** The values a query parameter read as a contract enum takes, or null when it is not one. */
    public static List<String> queryEnum(String path, String parameter) {
        EnumDescriptor type = QUERY_ENUMS.getOrDefault(path, Map.of()).get(parameter);
        return type == null ? null : values(type);
    }

    /** The names a caller may write: every value but the unset 0, as {@link ProtoJson#shortName} spells it. */
    static List<String> values(EnumDescriptor type) {
        return type.getValues().stream().filter(value -> value.getNumber() != 0).map(ProtoJson::shortName).toList();
    }

    /** The component name of a message or enum; null when it is already made; refuses two types of one name. */
    private static String claim(Map<String, String> owners, String name, String fullName) {
        String owner = owners.putIfAbsent(name, fullName);
        if (owner == null) {
            return name;
        }
        if (owner.equals(fullName)) {
            return null;
        }
        throw new IllegalStateException("two contract types are both called " + name + ": " + owner + " and "
                + fullName + "; give the schemas distinct names");
    }

    private static Schema message(Descriptor type, Set<String> omitted, List<Descriptor> pending,
            List<EnumDescriptor> enums) {
        Schema schema = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("The contract's " + type.getFullName() + " (api/src/main/proto)"
                        + (omitted.isEmpty() ? "" : "; " + String.join(", ", omitted.stream()
                                .map(field -> type.findFieldByName(field).getJsonName()).sorted().toList())
                                + " comes from the path"));
        for (FieldDescriptor field : type.getFields()) {
            if (omitted.contains(field.getName())) {
                continue;
            }
            Schema property;
            if (field.isMapField()) {
                property = OASFactory.createSchema().addType(SchemaType.OBJECT).additionalPropertiesSchema(
                        single(field.getMessageType().findFieldByName("value"), pending, enums));
            } else if (field.isRepeated()) {
                property = OASFactory.createSchema().addType(SchemaType.ARRAY).items(single(field, pending, enums));
            } else {
                property = single(field, pending, enums);
            }
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (oneof != null) {
                String others = String.join(", ", oneof.getFields().stream().map(FieldDescriptor::getJsonName).toList());
                String note = "at most one of " + others;
                property = property.getRef() == null ? property.description(note)
                        : OASFactory.createSchema().addAllOf(property).description(note);
            }
            schema.addProperty(field.getJsonName(), property);
        }
        return schema;
    }

    private static Schema single(FieldDescriptor field, List<Descriptor> pending, List<EnumDescriptor> enums) {
        return switch (field.getType()) {
            case DOUBLE -> number("double");
            case FLOAT -> number("float");
            case INT32, SINT32, SFIXED32 -> integer("int32");
            case INT64, SINT64, SFIXED64 -> integer("int64");
            case UINT32, FIXED32 -> integer("int64").minimum(java.math.BigDecimal.ZERO);
            case UINT64, FIXED64 -> OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(java.math.BigDecimal.ZERO);
            case BOOL -> OASFactory.createSchema().addType(SchemaType.BOOLEAN);
            case STRING -> OASFactory.createSchema().addType(SchemaType.STRING);
            case BYTES -> OASFactory.createSchema().addType(SchemaType.STRING).format("byte");
            case ENUM -> {
                if (!enums.contains(field.getEnumType())) {
                    enums.add(field.getEnumType());
                }
                yield ref(field.getEnumType().getName());
            }
            case MESSAGE, GROUP -> {
                Descriptor type = field.getMessageType();
                Schema known = wellKnown(type);
                if (known != null) {
                    yield known;
                }
                if (!pending.contains(type)) {
                    pending.add(type);
                }
                yield ref(type.getName());
            }
        };
    }

    /** As JsonFormat writes the well-known types; null for a message of the contract. */
    private static Schema wellKnown(Descriptor type) {
        if (!type.getFile().getPackage().equals("google.protobuf")) {
            return null;
        }
        return switch (type.getName()) {
            case "Timestamp" -> OASFactory.createSchema().addType(SchemaType.STRING).format("date-time");
            case "Duration" -> OASFactory.createSchema().addType(SchemaType.STRING)
                    .description("seconds with an s, e.g. 1.5s");
            case "DoubleValue", "FloatValue" -> number(type.getName().equals("FloatValue") ? "float" : "double");
            case "Int32Value", "UInt32Value" -> integer("int32");
            case "Int64Value", "UInt64Value" -> integer("int64");
            case "BoolValue" -> OASFactory.createSchema().addType(SchemaType.BOOLEAN);
            case "StringValue", "FieldMask" -> OASFactory.createSchema().addType(SchemaType.STRING);
            case "BytesValue" -> OASFactory.createSchema().addType(SchemaType.STRING).format("byte");
            case "ListValue" -> OASFactory.createSchema().addType(SchemaType.ARRAY).items(OASFactory.createSchema());
            case "Value" -> OASFactory.createSchema().description("any JSON value");
            default -> OASFactory.createSchema().addType(SchemaType.OBJECT); // Struct, Any, Empty
        };
    }

    private static Schema enumeration(EnumDescriptor type) {
        Schema schema = OASFactory.createSchema().addType(SchemaType.STRING)
                .description("The contract's " + type.getFullName() + " in the REST dialect (read in any case)");
        for (String value : values(type)) {
            schema.addEnumeration(value);
        }
        return schema;
    }

    private static Schema number(String format) {
        return OASFactory.createSchema().addType(SchemaType.NUMBER).format(format);
    }

    private static Schema integer(String format) {
        return OASFactory.createSchema().addType(SchemaType.INTEGER).format(format);
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref("#/components/schemas/" + name);
    }
}

package org.mihub.catalog.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.mihub.api.catalog.v1.ExportDatasetRequest;
import org.mihub.api.catalog.v1.ExportDatasetResponse;
import org.mihub.api.catalog.v1.ExportFormat;
import org.mihub.api.catalog.v1.ExportHeader;
import org.mihub.api.catalog.v1.ExportSummary;
import org.mihub.catalog.service.ExportService;
import org.mihub.catalog.service.Material;
import org.mihub.catalog.service.Property;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.GrpcErrors;
import org.mihub.common.grpc.Work;
import org.mihub.common.identity.Caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The server-streamed export: a header, then one data chunk (CSV, JSONL) or the materials
 * (RECORDS) per page of 1000 materials, then a summary. Pages are read as the client asks for
 * more, on worker threads.
 *
 * <p>CSV has the layout ingest accepts: {@code sample_id}, {@code formula}, {@code tags}, then
 * {@code <property> [canonical unit]} and {@code <property>_uncertainty} for each property of the
 * dataset, one row per material with its first value of each property. JSONL carries every
 * measurement with its conditions and the process history.
 */
public final class ExportMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportMapper() {
    }

    public static Multi<ExportDatasetResponse> export(ExportService exports, Optional<Caller> caller,
            ExportDatasetRequest request) {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < request.getSourcesCount(); i++) {
            String source = MaterialMapper.source(request.getSources(i));
            if (source == null) {
                return Multi.createFrom().failure(GrpcErrors.toStatus(ApiException.invalid("sources[" + i + "]",
                        "a source is EXPERIMENT, SIMULATION or PREDICTION")));
            }
            sources.add(source);
        }
        if (request.getFormat() == ExportFormat.UNRECOGNIZED) {
            return Multi.createFrom().failure(GrpcErrors.toStatus(ApiException.invalid("format", "unknown format "
                    + request.getFormatValue() + "; CSV, JSONL or RECORDS")));
        }
        ExportFormat format = request.getFormat() == ExportFormat.EXPORT_FORMAT_UNSPECIFIED
                ? ExportFormat.EXPORT_FORMAT_CSV : request.getFormat();
        return Work.blocking(() -> exports.plan(caller, DatasetMapper.id("dataset_id", request.getDatasetId()),
                request.hasAsOfVersion() ? request.getAsOfVersion() : null,
                new ExportService.Filter(request.getPropertiesList(), sources),
                format == ExportFormat.EXPORT_FORMAT_CSV))
                .onItem().transformToMulti(plan -> {
                    AtomicLong materials = new AtomicLong();
                    AtomicLong measurements = new AtomicLong();
                    Iterable<ExportDatasetResponse> body = () -> new Iterator<>() {
                        private final Iterator<List<Material>> pages = exports.pages(plan);
                        private boolean headerSent;
                        private boolean csvHeaderSent;
                        private boolean summarySent;
                        private final List<ExportDatasetResponse> queue = new ArrayList<>();

                        @Override
                        public boolean hasNext() {
                            if (!queue.isEmpty()) {
                                return true;
                            }
                            if (!headerSent) {
                                headerSent = true;
                                queue.add(header(plan, format));
                            } else if (pages.hasNext()) {
                                List<Material> page = pages.next();
                                materials.addAndGet(page.size());
                                page.forEach(material -> measurements.addAndGet(material.measurements().size()));
                                queue.addAll(chunk(plan, format, page, !csvHeaderSent));
                                csvHeaderSent = true;
                            } else if (!summarySent) {
                                summarySent = true;
                                exports.exported(caller, plan.dataset(), materials.get());
                                queue.add(ExportDatasetResponse.newBuilder().setSummary(ExportSummary.newBuilder()
                                        .setMaterialCount(materials.get()).setMeasurementCount(measurements.get()))
                                        .build());
                            }
                            return !queue.isEmpty();
                        }

                        @Override
                        public ExportDatasetResponse next() {
                            hasNext();
                            return queue.remove(0);
                        }
                    };
                    return Multi.createFrom().iterable(body).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
                })
                .onFailure().transform(GrpcErrors::toStatus);
    }

    private static ExportDatasetResponse header(ExportService.Plan plan, ExportFormat format) {
        return ExportDatasetResponse.newBuilder().setHeader(ExportHeader.newBuilder()
                .setDataset(DatasetMapper.toProto(plan.dataset())).setFormat(format)
                .setContentType(switch (format) {
                    case EXPORT_FORMAT_JSONL -> "application/jsonl";
                    case EXPORT_FORMAT_RECORDS -> "";
                    default -> "text/csv";
                }).setDatasetVersion(plan.version())).build();
    }

    private static List<ExportDatasetResponse> chunk(ExportService.Plan plan, ExportFormat format, List<Material> page,
            boolean first) {
        return switch (format) {
            case EXPORT_FORMAT_RECORDS -> page.stream().map(material -> ExportDatasetResponse.newBuilder()
                    .setMaterial(MaterialMapper.toProto(material, true)).build()).toList();
            case EXPORT_FORMAT_JSONL -> List.of(data(jsonl(page)));
            default -> List.of(data(csv(plan, page, first)));
        };
    }

    private static ExportDatasetResponse data(String text) {
        return ExportDatasetResponse.newBuilder().setData(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
    }

    /**
     * A page as CSV rows in the layout the CSV ingest reads: sample id, formula, tags, then method,
     * instrument and source when any measurement has one, each property's value (with its uncertainty
     * column when numeric), each condition and each process step's parameter. A row is one material:
     * its method, instrument, source and conditions are those of its first measurement that has them
     * (the CSV ingest gives them to every measurement of the row; JSONL keeps each measurement's own).
     */
    private static String csv(ExportService.Plan plan, List<Material> page, boolean withHeader) {
        ExportService.CsvLayout layout = plan.csv();
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            if (withHeader) {
                List<String> header = new ArrayList<>(List.of("sample_id", "formula", "tags"));
                if (layout.methods()) {
                    header.add("method");
                }
                if (layout.instruments()) {
                    header.add("instrument");
                }
                if (layout.sources()) {
                    header.add("source");
                }
                for (Property property : plan.properties()) {
                    if (property.numeric()) {
                        header.add(property.name() + " [" + property.canonicalUnit() + "]");
                        header.add(property.name() + "_uncertainty");
                    } else {
                        header.add(property.name());
                    }
                }
                for (ExportService.Column condition : layout.conditions()) {
                    header.add("condition." + condition.name() + (condition.unit() == null ? "" : " [" + condition.unit() + "]"));
                }
                for (ExportService.StepColumn step : layout.steps()) {
                    header.add("step" + step.index() + "." + step.kind() + "." + step.parameter()
                            + (step.unit() == null ? "" : " [" + step.unit() + "]"));
                }
                printer.printRecord(header);
            }
            for (Material material : page) {
                List<Object> row = new ArrayList<>(List.of(material.sampleKey() == null ? "" : material.sampleKey(),
                        material.formula(), String.join(";", material.tags())));
                if (layout.methods()) {
                    row.add(first(material, Material.Measurement::method));
                }
                if (layout.instruments()) {
                    row.add(first(material, Material.Measurement::instrument));
                }
                if (layout.sources()) {
                    row.add(first(material, Material.Measurement::source));
                }
                for (Property property : plan.properties()) {
                    Optional<Material.Measurement> value = material.measurements().stream()
                            .filter(measurement -> measurement.property().equals(property.name())).findFirst();
                    if (property.numeric()) {
                        row.add(value.map(measurement -> Double.toString(measurement.value())).orElse(""));
                        row.add(value.map(Material.Measurement::uncertainty).map(String::valueOf).orElse(""));
                    } else {
                        row.add(value.map(Material.Measurement::label).orElse(""));
                    }
                }
                if (!layout.conditions().isEmpty()) {
                    List<JsonNode> conditions = new ArrayList<>();
                    for (Material.Measurement measurement : material.measurements()) {
                        JSON.readTree(measurement.conditionsJson()).forEach(conditions::add);
                    }
                    for (ExportService.Column column : layout.conditions()) {
                        row.add(cell(conditions, column.name(), column.unit()));
                    }
                }
                if (!layout.steps().isEmpty()) {
                    JsonNode steps = JSON.readTree(material.processStepsJson());
                    for (ExportService.StepColumn column : layout.steps()) {
                        JsonNode step = steps.path(column.index() - 1);
                        List<JsonNode> parameters = new ArrayList<>();
                        if (step.path("kind").asText().equals(column.kind())) {
                            step.path("parameters").forEach(parameters::add);
                        }
                        row.add(cell(parameters, column.parameter(), column.unit()));
                    }
                }
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The first non-empty value of a measurement field over the material's measurements ("" if none). */
    private static String first(Material material, Function<Material.Measurement, String> field) {
        return material.measurements().stream().map(field).filter(value -> value != null && !value.isEmpty())
                .findFirst().orElse("");
    }

    /** The stored parameter of this name and unit (null: text) as a CSV cell, "" when absent. */
    private static String cell(List<JsonNode> parameters, String name, String unit) {
        for (JsonNode parameter : parameters) {
            if (!parameter.path("name").asText().equals(name)) {
                continue;
            }
            if (unit == null && parameter.hasNonNull("text")) {
                return parameter.path("text").asText();
            }
            if (unit != null && !parameter.hasNonNull("text") && parameter.path("unit").asText().equals(unit)) {
                return parameter.path("value").asText();
            }
        }
        return "";
    }

    /**
     * Stored parameters ({@code name, value, unit} or {@code name, text}) in the ingest's JSON form
     * ({@code {name, quantity: {value, unit}}} or {@code {name, text}}), so an export reads back as it was.
     */
    private static ArrayNode parameters(JsonNode stored) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode parameter : stored) {
            ObjectNode written = out.addObject().put("name", parameter.path("name").asText());
            if (parameter.hasNonNull("text")) {
                written.put("text", parameter.path("text").asText());
            } else {
                written.putObject("quantity").set("value", parameter.path("value"));
                ((ObjectNode) written.get("quantity")).put("unit", parameter.path("unit").asText());
            }
        }
        return out;
    }

    private static String jsonl(List<Material> page) {
        StringBuilder out = new StringBuilder();
        try {
            for (Material material : page) {
                ObjectNode node = JSON.createObjectNode().put("id", material.id().toString())
                        .put("sample_id", material.sampleKey()).put("formula", material.formula())
                        .put("reduced_formula", material.reducedFormula()).put("nelements", material.nelements());
                node.set("composition", JSON.valueToTree(material.composition()));
                node.set("elements", JSON.valueToTree(material.elements()));
                node.set("tags", JSON.valueToTree(material.tags()));
                var steps = node.putArray("process_steps");
                for (JsonNode step : JSON.readTree(material.processStepsJson())) {
                    ObjectNode written = steps.addObject().put("kind", step.path("kind").asText());
                    written.set("parameters", parameters(step.path("parameters")));
                }
                node.set("external_ids", JSON.readTree(material.externalIdsJson()));
                if (material.structureJson() != null) {
                    node.set("structure", JSON.readTree(material.structureJson()));
                }
                var measurements = node.putArray("measurements");
                for (Material.Measurement measurement : material.measurements()) {
                    ObjectNode value = measurements.addObject().put("property", measurement.property());
                    if (measurement.labelled()) {
                        value.put("label", measurement.label());
                    } else {
                        value.putObject("value").put("value", measurement.value()).put("unit", measurement.unit());
                        value.putObject("reported").put("value", measurement.reportedValue())
                                .put("unit", measurement.reportedUnit());
                    }
                    value.put("method", measurement.method()).put("instrument", measurement.instrument())
                            .put("source", measurement.source());
                    if (measurement.uncertainty() != null) {
                        value.put("uncertainty", measurement.uncertainty());
                    }
                    value.set("conditions", parameters(JSON.readTree(measurement.conditionsJson())));
                    if (measurement.campaignId() != null) {
                        value.put("campaign_id", measurement.campaignId());
                    }
                    if (measurement.proposalId() != null) {
                        value.put("proposal_id", measurement.proposalId());
                    }
                }
                out.append(JSON.writeValueAsString(node)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
        return out.toString();
    }
}

package org.mihub.catalog.ingest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mihub.catalog.ingest.Rejection.Code;
import org.mihub.catalog.service.Property;
import org.mihub.common.units.Units;
import org.mihub.common.chemistry.Composition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an ingest document of material objects (the JSON form of {@code Material}): one JSON
 * array ({@code application/json}) or one object per line ({@code application/x-ndjson}),
 * streaming one object at a time. Field paths in rejections follow the object, e.g.
 * {@code measurements[0].value.unit}.
 *
 * <pre>
 * {"sample_key": "s1", "formula": "Fe2O3", "tags": ["oxide"],
 *  "measurements": [{"property": "band_gap", "value": {"value": 2.1, "unit": "eV"}, "uncertainty": 0.05,
 *                    "method": "UV-Vis", "source": "experiment",
 *                    "conditions": [{"name": "temperature", "quantity": {"value": 300, "unit": "K"}}]}],
 *  "process_steps": [{"kind": "anneal", "parameters": [{"name": "temperature", "quantity": {"value": 900, "unit": "Cel"}},
 *                                                      {"name": "atmosphere", "text": "air"}]}]}
 * </pre>
 */
public final class JsonRecordReader implements RecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SOURCES = Set.of("experiment", "simulation", "prediction");

    private final JsonParser parser;
    private final boolean array;
    private final Map<String, Property> vocabulary;
    private boolean stopped;
    private long rows;

    /** {@code array}: one JSON array of objects; otherwise a sequence of objects (NDJSON). */
    public JsonRecordReader(Reader reader, boolean array, Map<String, Property> vocabulary) throws IOException {
        this.parser = new JsonFactory(JSON).createParser(reader);
        this.array = array;
        this.vocabulary = vocabulary;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void read(RecordSink sink) {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                sink.reject(Rejection.document(Code.EMPTY_DOCUMENT, "", "the document is empty"));
                return;
            }
            if (array && first != JsonToken.START_ARRAY) {
                sink.reject(new Rejection(0, line(), "", Code.MALFORMED, "application/json must be one array of "
                        + "material objects", "", null));
                return;
            }
            JsonToken token = array ? parser.nextToken() : first;
            while (token != null && token != JsonToken.END_ARRAY) {
                long line = line();
                rows++;
                if (token != JsonToken.START_OBJECT) {
                    sink.reject(new Rejection(rows, line, "", Code.MALFORMED, "a material must be a JSON object",
                            parser.getText(), null));
                    stopped = true;
                    return;
                }
                JsonNode node = JSON.readTree(parser);
                readRow(node, rows, line, sink);
                token = parser.nextToken();
            }
            if (array && token == null) {
                sink.reject(new Rejection(rows, line(), "", Code.MALFORMED, "the array is not closed", "", null));
                stopped = true;
                return;
            }
            if (array && parser.nextToken() != null) {
                sink.reject(new Rejection(rows, line(), "", Code.MALFORMED, "content after the array", "", null));
                stopped = true;
                return;
            }
            if (rows == 0) {
                sink.reject(Rejection.document(Code.EMPTY_DOCUMENT, "", "the document has no materials"));
            }
        } catch (JsonProcessingException e) {
            sink.reject(new Rejection(rows + 1, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "",
                    Code.MALFORMED, "not well-formed JSON: " + e.getOriginalMessage(), "", null));
            stopped = true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    private long line() {
        return parser.currentLocation().getLineNr();
    }

    private void readRow(JsonNode node, long row, long line, RecordSink sink) {
        String nul = nul(node, "");
        if (nul != null) {
            sink.reject(new Rejection(row, line, nul, Code.INVALID_VALUE, "a value cannot contain a NUL character", "",
                    null));
            return;
        }
        List<Rejection> problems = new ArrayList<>();
        String formula = text(node, "formula");
        List<Rejection> warnings = new ArrayList<>();
        Composition composition = FormulaCell.parse(formula, row, line, problems, warnings);
        String key = text(node, "sample_key");
        if (key.isEmpty()) {
            key = text(node, "sample_id");
        }
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(tag -> tags.add(tag.asText()));
        List<MaterialRecord.Measurement> measurements = new ArrayList<>();
        JsonNode values = node.path("measurements");
        for (int i = 0; i < values.size(); i++) {
            MaterialRecord.Measurement measurement = measurement(values.get(i), "measurements[" + i + "]", row, line,
                    problems);
            if (measurement != null) {
                measurements.add(measurement);
            }
        }
        List<MaterialRecord.ProcessStep> steps = new ArrayList<>();
        JsonNode history = node.path("process_steps");
        for (int i = 0; i < history.size(); i++) {
            JsonNode step = history.get(i);
            String kind = text(step, "kind");
            if (kind.isEmpty()) {
                problems.add(new Rejection(row, line, "process_steps[" + i + "].kind", Code.MISSING_VALUE,
                        "a process step needs its kind, e.g. anneal", "", null));
            }
            steps.add(new MaterialRecord.ProcessStep(i + 1, kind,
                    parameters(step.path("parameters"), "process_steps[" + i + "].parameters", row, line, problems)));
        }
        String structure = StructureReader.structure(node.path("structure"), composition, row, line, problems);
        String externalIds = StructureReader.externalIds(node.path("external_ids"), row, line, problems);
        if (!key.isEmpty()) {
            sink.key(row, line, "sample_key", key, !problems.isEmpty());
        }
        if (!problems.isEmpty()) {
            problems.forEach(sink::reject);
            return;
        }
        warnings.forEach(sink::warn);
        sink.accept(new MaterialRecord(row, key.isEmpty() ? null : key, formula, composition, tags, steps,
                measurements, structure, externalIds));
    }

    private MaterialRecord.Measurement measurement(JsonNode node, String path, long row, long line,
            List<Rejection> problems) {
        String name = text(node, "property");
        Property property = vocabulary.get(name);
        if (property == null) {
            problems.add(new Rejection(row, line, path + ".property", Code.UNKNOWN_PROPERTY,
                    "'" + name + "' is not in the property vocabulary" + Labels.closeMatches(name, vocabulary), name,
                    null));
            return null;
        }
        if (property.deprecated()) {
            problems.add(new Rejection(row, line, path + ".property", Code.UNKNOWN_PROPERTY, "'" + name
                    + "' is deprecated and takes no new values" + (property.deprecationReason().isEmpty() ? ""
                            : " (" + property.deprecationReason() + ")"), name, null));
            return null;
        }
        if (!property.numeric()) {
            return labelled(node, property, path, row, line, problems);
        }
        JsonNode value = node.path("value");
        String unit = text(value, "unit");
        if (!value.path("value").isNumber() || !Double.isFinite(value.path("value").asDouble())) {
            problems.add(new Rejection(row, line, path + ".value.value", Code.BAD_NUMBER, "a finite number is required",
                    value.path("value").toString(), null));
            return null;
        }
        javax.measure.UnitConverter converter;
        try {
            converter = Units.converter(unit.isEmpty() ? property.canonicalUnit() : unit, property.canonicalUnit());
        } catch (Units.UnitException e) {
            problems.add(new Rejection(row, line, path + ".value.unit", Code.INCOMPATIBLE_UNIT, e.getMessage(), unit,
                    null));
            return null;
        }
        double reported = value.path("value").asDouble();
        if (!Labels.inRange(property, converter.convert(reported), row, line, path + ".value.value",
                value.path("value").toString(), problems)) {
            return null;
        }
        Double uncertainty = null;
        if (node.has("uncertainty")) {
            double given = node.path("uncertainty").asDouble(-1);
            if (!node.path("uncertainty").isNumber() || given < 0) {
                problems.add(new Rejection(row, line, path + ".uncertainty", Code.BAD_NUMBER,
                        "an uncertainty is a number >= 0", node.path("uncertainty").toString(), null));
                return null;
            }
            uncertainty = Math.abs(converter.convert(given) - converter.convert(0.0));
        }
        String source = source(text(node, "source"));
        if (!SOURCES.contains(source)) {
            problems.add(new Rejection(row, line, path + ".source", Code.INVALID_VALUE,
                    "source must be experiment, simulation or prediction", source, null));
            return null;
        }
        return new MaterialRecord.Measurement(property.name(), converter.convert(reported), uncertainty, reported,
                unit.isEmpty() ? property.canonicalUnit() : unit, text(node, "method"), text(node, "instrument"),
                parameters(node.path("conditions"), path + ".conditions", row, line, problems), source,
                emptyToNull(text(node, "campaign_id")), emptyToNull(text(node, "proposal_id")), null);
    }

    /** A categorical, boolean or text measurement: its {@code label}, no value, unit or uncertainty. */
    private MaterialRecord.Measurement labelled(JsonNode node, Property property, String path, long row, long line,
            List<Rejection> problems) {
        JsonNode label = node.path("label");
        if (!label.isTextual() && !label.isBoolean()) {
            problems.add(new Rejection(row, line, path + ".label", Code.MISSING_VALUE, "'" + property.name() + "' is "
                    + property.summary() + ": its value is a \"label\"", node.path("label").toString(), null));
            return null;
        }
        for (String field : List.of("value", "uncertainty")) {
            if (node.has(field) && !node.get(field).isNull()) {
                problems.add(new Rejection(row, line, path + "." + field, Code.INVALID_VALUE, "'" + property.name()
                        + "' is " + property.summary() + ": it has a label, no " + field, node.get(field).toString(),
                        null));
                return null;
            }
        }
        var coded = Labels.code(property, label.asText(), row, line, path + ".label", problems);
        if (coded == null) {
            return null;
        }
        String source = source(text(node, "source"));
        if (!SOURCES.contains(source)) {
            problems.add(new Rejection(row, line, path + ".source", Code.INVALID_VALUE,
                    "source must be experiment, simulation or prediction", source, null));
            return null;
        }
        return new MaterialRecord.Measurement(property.name(), coded.code(), null, coded.code(), "",
                text(node, "method"), text(node, "instrument"),
                parameters(node.path("conditions"), path + ".conditions", row, line, problems), source,
                emptyToNull(text(node, "campaign_id")), emptyToNull(text(node, "proposal_id")), coded.label());
    }

    private static List<MaterialRecord.Parameter> parameters(JsonNode array, String path, long row, long line,
            List<Rejection> problems) {
        List<MaterialRecord.Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            String name = text(node, "name");
            if (node.has("quantity")) {
                JsonNode quantity = node.path("quantity");
                String unit = text(quantity, "unit");
                try {
                    Units.parse(unit.isEmpty() ? "1" : unit);
                } catch (Units.UnitException e) {
                    problems.add(new Rejection(row, line, path + "[" + i + "].quantity.unit", Code.INCOMPATIBLE_UNIT,
                            e.getMessage(), unit, null));
                }
                if (!quantity.path("value").isNumber()) {
                    problems.add(new Rejection(row, line, path + "[" + i + "].quantity.value", Code.BAD_NUMBER,
                            "a number is required", quantity.path("value").toString(), null));
                }
                parameters.add(new MaterialRecord.Parameter(name, quantity.path("value").asDouble(),
                        unit.isEmpty() ? "1" : unit, null));
            } else {
                parameters.add(new MaterialRecord.Parameter(name, null, null, text(node, "text")));
            }
        }
        return parameters;
    }

    /** experiment, simulation or prediction; the proto JSON names (MEASUREMENT_SOURCE_...) are accepted too. */
    private static String source(String given) {
        if (given.isEmpty() || given.equals("MEASUREMENT_SOURCE_UNSPECIFIED")) {
            return "experiment";
        }
        return given.startsWith("MEASUREMENT_SOURCE_")
                ? given.substring("MEASUREMENT_SOURCE_".length()).toLowerCase(java.util.Locale.ROOT) : given;
    }

    /** The path of the first field name or text in {@code node} holding a NUL character, or null. */
    private static String nul(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0 ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = nul(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext();) {
                var field = fields.next();
                String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().indexOf('\0') >= 0) {
                    return name.replace('\0', ' ');
                }
                String found = nul(field.getValue(), name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() ? value.asText() : "";
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}

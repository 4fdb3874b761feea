package org.mihub.gateway.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.mihub.gateway.error.InvalidInput;
import org.mihub.common.text.Suggestions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The REST API's one JSON dialect for any protobuf message, driven by its descriptors: fields in
 * lowerCamelCase (as {@link JsonFormat} names them), every enum value without its type's prefix and
 * in lower case ({@code OBJECTIVE_DIRECTION_MAXIMISE} is {@code "maximise"}, an unset enum (0) is left
 * out), 64-bit integers as JSON numbers, timestamps in RFC 3339 with the zone; an embedded job
 * ({@code mihub.common.v1.Job}) leaves out its {@code resultId} until it has one, as the jobs path
 * writes it. Well-known types
 * (Timestamp, Duration, Struct, Value, wrappers) are written and read as JsonFormat does; this class
 * does not look inside them.
 *
 * <p>Reading translates a request body into the raw protobuf JSON mapping and lets JsonFormat merge it,
 * so proto's own parsing rules still apply. It accepts the dialect (enum names case-insensitively) and,
 * for one release, the raw mapping the planning API used to speak (full enum names, 64-bit integers as
 * strings); {@link #merge} says when the old spelling was used. An unknown field, a value of the wrong
 * type or an unknown enum value is an {@link InvalidInput} naming the field's path, e.g.
 * {@code spec.objectives[0].direction}.
 */
public final class ProtoJson {

    /** The shared job message, written as {@code GET /api/v1/jobs/{id}} writes it (see {@link #written}). */
    private static final String JOB = "mihub.common.v1.Job";
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern WORD_START = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
    private static final Set<String> FLOAT_WORDS = Set.of("NaN", "Infinity", "-Infinity");
    private static final BigInteger TWO_TO_32 = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private ProtoJson() {
    }

    // ---- writing ----------------------------------------------------------------------------------

    /** A message in the dialect. */
    public static ObjectNode write(MessageOrBuilder message) {
        JsonNode tree;
        try {
            tree = TREES.readTree(PRINTER.print(message));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("a " + message.getDescriptorForType().getName()
                    + " could not be written as JSON", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException(message.getDescriptorForType().getFullName()
                    + " is a well-known type, written as JsonFormat writes it");
        }
        written(object, message.getDescriptorForType());
        return object;
    }

    private static void written(ObjectNode object, Descriptor type) {
        if (type.getFullName().equals(JOB) && object.path("resultId").asText().isEmpty()) {
            object.remove("resultId"); // as GET /api/v1/jobs/{id} writes a job: no resultId until it produced one
        }
        for (FieldDescriptor field : type.getFields()) {
            String name = field.getJsonName();
            JsonNode value = object.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.isMapField()) {
                FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
                var entries = value.properties().iterator();
                while (entries.hasNext()) {
                    var entry = entries.next();
                    entry.setValue(written(valueField, entry.getValue(), false));
                }
            } else if (field.isRepeated()) {
                ArrayNode array = (ArrayNode) value;
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, written(field, array.get(i), false));
                }
            } else {
                JsonNode converted = written(field, value, true);
                if (converted == null) {
                    object.remove(name);
                } else {
                    object.set(name, converted);
                }
            }
        }
    }

    /** One value in the dialect; null to leave a single unset enum out. */
    private static JsonNode written(FieldDescriptor field, JsonNode value, boolean single) {
        switch (field.getJavaType()) {
            case ENUM -> {
                if (!value.isTextual()) {
                    return value; // a number this gateway's contract does not know: as JsonFormat wrote it
                }
                EnumValueDescriptor known = field.getEnumType().findValueByName(value.asText());
                if (known == null) {
                    return value;
                }
                return single && known.getNumber() == 0 ? null : TextNode.valueOf(shortName(known));
            }
            case LONG -> {
                if (!value.isTextual()) {
                    return value;
                }
                BigInteger number = new BigInteger(value.asText());
                return number.bitLength() < 64 ? LongNode.valueOf(number.longValue()) : BigIntegerNode.valueOf(number);
            }
            case MESSAGE -> {
                if (!wellKnown(field.getMessageType()) && value instanceof ObjectNode object) {
                    written(object, field.getMessageType());
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    /** {@code OBJECTIVE_DIRECTION_MAXIMISE} of ObjectiveDirection is {@code maximise}; {@code RUNNING} of JobState is {@code running}. */
    public static String shortName(EnumValueDescriptor value) {
        String prefix = prefix(value.getType());
        String name = value.getName();
        return (name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : name)
                .toLowerCase(Locale.ROOT);
    }

    private static String prefix(EnumDescriptor type) {
        return WORD_START.matcher(type.getName()).replaceAll("_").toUpperCase(Locale.ROOT) + "_";
    }

    // ---- reading ----------------------------------------------------------------------------------

    /**
     * Merges a request body in the dialect (or the old raw spelling) into the builder.
     *
     * @return whether the body used the deprecated raw protobuf spelling somewhere (a full enum name,
     *         an integer as a string), so the answer can say so
     * @throws InvalidInput naming the field's path when the body does not fit the message
     */
    public static boolean merge(JsonNode body, Message.Builder builder) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new InvalidInput("body", "a JSON object is required");
        }
        Reading reading = new Reading();
        ObjectNode raw = reading.object(body, builder.getDescriptorForType(), "");
        try {
            PARSER.merge(raw.toString(), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidInput("body", String.valueOf(e.getMessage()));
        }
        return reading.oldSpelling;
    }

    /**
     * An enum value spelled as the dialect spells it, case-insensitively (for query parameters such as
     * {@code status=active}); anything else is an {@link InvalidInput} for {@code field} listing the choices.
     */
    public static EnumValueDescriptor enumValue(EnumDescriptor type, String text, String field) {
        EnumValueDescriptor value = byShortName(type, text);
        if (value == null) {
            throw new InvalidInput(field, "'" + text + "' is not " + choices(type));
        }
        return value;
    }

    /**
     * A contract enum's value that a caller names in a body field or parameter, as the dialect spells it
     * (any case, {@code random_forest} for ALGORITHM_RANDOM_FOREST); the unset 0 is not one. Anything else
     * is an {@link InvalidInput} for {@code field} listing the values, taken from the contract.
     */
    public static EnumValueDescriptor choice(EnumDescriptor type, String text, String field) {
        EnumValueDescriptor value = text == null ? null : byShortName(type, text);
        if (value == null || value.getNumber() == 0) {
            throw new InvalidInput(field, "'" + text + "' is not " + choices(type));
        }
        return value;
    }

    private static EnumValueDescriptor byShortName(EnumDescriptor type, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (EnumValueDescriptor value : type.getValues()) {
            if (shortName(value).equals(wanted)) {
                return value;
            }
        }
        return null;
    }

    /** "maximise, minimise or target": the values a caller may name (the unset 0 is not one). */
    private static String choices(EnumDescriptor type) {
        List<String> names = type.getValues().stream().filter(value -> value.getNumber() != 0)
                .map(ProtoJson::shortName).toList();
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static boolean wellKnown(Descriptor type) {
        return type.getFile().getPackage().equals("google.protobuf");
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** One translation of a body into the raw mapping; remembers whether the old spelling was met. */
    private static final class Reading {

        boolean oldSpelling;

        ObjectNode object(JsonNode json, Descriptor type, String path) {
            if (!json.isObject()) {
                throw new InvalidInput(path.isEmpty() ? "body" : path, "expected a JSON object, not " + kind(json));
            }
            ObjectNode raw = NODES.objectNode();
            Map<OneofDescriptor, String> oneofs = new HashMap<>();
            for (var entry : json.properties()) {
                String name = entry.getKey();
                String at = join(path, name);
                FieldDescriptor field = field(type, name);
                if (field == null) {
                    throw new InvalidInput(at, "unknown field" + Suggestions.didYouMean(name,
                            type.getFields().stream().map(FieldDescriptor::getJsonName).toList()));
                }
                JsonNode value = entry.getValue();
                if (value.isNull() && !nullable(field)) {
                    continue; // null is "not set", as in the protobuf mapping
                }
                if (raw.has(field.getJsonName())) {
                    throw new InvalidInput(at, "given twice (as '" + field.getJsonName() + "' and '" + field.getName()
                            + "')");
                }
                OneofDescriptor oneof = field.getRealContainingOneof();
                if (oneof != null) {
                    String other = oneofs.putIfAbsent(oneof, name);
                    if (other != null) {
                        throw new InvalidInput(at, "only one of '" + other + "' and '" + name + "' may be given");
                    }
                }
                raw.set(field.getJsonName(), field.isMapField() ? map(field, value, at)
                        : field.isRepeated() ? list(field, value, at) : single(field, value, at));
            }
            return raw;
        }

        private JsonNode map(FieldDescriptor field, JsonNode json, String at) {
            if (!json.isObject()) {
                throw new InvalidInput(at, "expected a JSON object, not " + kind(json));
            }
            FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            ObjectNode raw = NODES.objectNode();
            for (var entry : json.properties()) {
                String entryAt = at + "[" + entry.getKey() + "]";
                if (keyField.getJavaType() != FieldDescriptor.JavaType.STRING) {
                    single(keyField, TextNode.valueOf(entry.getKey()), entryAt);
                }
                if (entry.getValue().isNull() && !nullable(valueField)) {
                    throw new InvalidInput(entryAt, "must not be null");
                }
                raw.set(entry.getKey(), single(valueField, entry.getValue(), entryAt));
            }
            return raw;
        }

        private JsonNode list(FieldDescriptor field, JsonNode json, String at) {
            if (!json.isArray()) {
                throw new InvalidInput(at, "expected a JSON array, not " + kind(json));
            }
            ArrayNode raw = NODES.arrayNode();
            for (int i = 0; i < json.size(); i++) {
                String itemAt = at + "[" + i + "]";
                if (json.get(i).isNull() && !nullable(field)) {
                    throw new InvalidInput(itemAt, "must not be null");
                }
                raw.add(single(field, json.get(i), itemAt));
            }
            return raw;
        }

        private JsonNode single(FieldDescriptor field, JsonNode json, String at) {
            return switch (field.getJavaType()) {
                case MESSAGE -> message(field.getMessageType(), json, at);
                case ENUM -> enumeration(field.getEnumType(), json, at);
                case INT, LONG -> integer(field, json, at);
                case FLOAT, DOUBLE -> floating(json, at);
                case BOOLEAN -> {
                    if (json.isBoolean()) {
                        yield json;
                    }
                    if (json.isTextual() && (json.asText().equals("true") || json.asText().equals("false"))) {
                        oldSpelling = true;
                        yield json;
                    }
                    throw new InvalidInput(at, "expected true or false, not " + kind(json));
                }
                case STRING -> {
                    if (!json.isTextual()) {
                        throw new InvalidInput(at, "expected a string, not " + kind(json));
                    }
                    yield json;
                }
                case BYTE_STRING -> {
                    if (!json.isTextual() || !base64(json.asText())) {
                        throw new InvalidInput(at, "expected base64 text, not " + kind(json));
                    }
                    yield json;
                }
            };
        }

        private JsonNode message(Descriptor type, JsonNode json, String at) {
            if (!wellKnown(type)) {
                return object(json, type, at);
            }
            // a well-known type is JsonFormat's own to read; only its answer is worded here, with the path
            try {
                PARSER.merge(json.toString(), DynamicMessage.newBuilder(type));
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw new InvalidInput(at, "not a valid " + type.getName() + ": " + e.getMessage());
            }
            return json;
        }

        private JsonNode enumeration(EnumDescriptor type, JsonNode json, String at) {
            if (type.getFullName().equals("google.protobuf.NullValue")) {
                return json;
            }
            if (json.isTextual()) {
                EnumValueDescriptor value = byShortName(type, json.asText());
                if (value == null) {
                    value = type.getValues().stream().filter(v -> v.getName().equalsIgnoreCase(json.asText().trim()))
                            .findFirst().orElse(null);
                    if (value != null) {
                        oldSpelling = true;
                    }
                }
                if (value != null) {
                    return TextNode.valueOf(value.getName());
                }
                throw new InvalidInput(at, "'" + json.asText() + "' is not " + choices(type));
            }
            if (json.isIntegralNumber() && json.canConvertToInt()) {
                EnumValueDescriptor value = type.findValueByNumber(json.intValue());
                if (value != null) {
                    oldSpelling = true;
                    return TextNode.valueOf(value.getName());
                }
            }
            throw new InvalidInput(at, (json.isValueNode() ? "'" + json.asText() + "'" : kind(json)) + " is not "
                    + choices(type));
        }

        private JsonNode integer(FieldDescriptor field, JsonNode json, String at) {
            BigInteger number;
            try {
                if (json.isIntegralNumber()) {
                    number = json.bigIntegerValue();
                } else if (json.isNumber()) {
                    number = json.decimalValue().toBigIntegerExact();
                } else if (json.isTextual()) {
                    number = new BigDecimal(json.asText().trim()).toBigIntegerExact();
                    oldSpelling = true;
                } else {
                    throw new InvalidInput(at, "expected a whole number, not " + kind(json));
                }
            } catch (ArithmeticException | NumberFormatException e) {
                throw new InvalidInput(at, "'" + json.asText() + "' is not a whole number");
            }
            BigInteger min;
            BigInteger limit; // exclusive
            switch (field.getType()) {
                case UINT32, FIXED32 -> {
                    min = BigInteger.ZERO;
                    limit = TWO_TO_32;
                }
                case UINT64, FIXED64 -> {
                    min = BigInteger.ZERO;
                    limit = TWO_TO_64;
                }
                case INT64, SINT64, SFIXED64 -> {
                    min = BigInteger.valueOf(Long.MIN_VALUE);
                    limit = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
                }
                default -> {
                    min = BigInteger.valueOf(Integer.MIN_VALUE);
                    limit = BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE);
                }
            }
            if (number.compareTo(min) < 0 || number.compareTo(limit) >= 0) {
                throw new InvalidInput(at, number + " is out of range (" + min + " to " + limit.subtract(BigInteger.ONE)
                        + ")");
            }
            return number.bitLength() < 64 ? LongNode.valueOf(number.longValue()) : BigIntegerNode.valueOf(number);
        }

        private JsonNode floating(JsonNode json, String at) {
            if (json.isNumber()) {
                return json;
            }
            if (json.isTextual()) {
                String text = json.asText().trim();
                if (FLOAT_WORDS.contains(text)) {
                    return json;
                }
                try {
                    new BigDecimal(text);
                    oldSpelling = true;
                    return json;
                } catch (NumberFormatException e) {
                    throw new InvalidInput(at, "'" + json.asText() + "' is not a number");
                }
            }
            throw new InvalidInput(at, "expected a number, not " + kind(json));
        }
    }

    /** Where a JSON field names a message field: its lowerCamelCase name, or its proto name. */
    private static FieldDescriptor field(Descriptor type, String name) {
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(name)) {
                return field;
            }
        }
        return type.findFieldByName(name);
    }

    /** Only google.protobuf.Value (and NullValue) give JSON null a meaning. */
    private static boolean nullable(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().getFullName().equals("google.protobuf.Value")
                || field.getJavaType() == FieldDescriptor.JavaType.ENUM
                        && field.getEnumType().getFullName().equals("google.protobuf.NullValue");
    }

    private static boolean base64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            try {
                Base64.getUrlDecoder().decode(text);
                return true;
            } catch (IllegalArgumentException again) {
                return false;
            }
        }
    }

    private static String kind(JsonNode json) {
        return switch (json.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "nothing";
        };
    }
}

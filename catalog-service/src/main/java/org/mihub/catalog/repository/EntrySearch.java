package org.mihub.catalog.repository;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.mihub.catalog.optimade.Filter;
import org.mihub.catalog.optimade.Filter.Compare;
import org.mihub.catalog.optimade.Filter.Operand;
import org.mihub.catalog.optimade.Filter.Operator;
import org.mihub.catalog.optimade.Filter.Property;
import org.mihub.catalog.repository.EntryFields.Field;
import org.mihub.catalog.repository.EntryFields.Shape;
import org.mihub.catalog.repository.EntryFields.Type;
import org.mihub.common.error.ApiException;
import org.mihub.common.optimade.ProviderPrefix;

/**
 * Translates an OPTIMADE filter into one SQL condition over an entry type's tables (materials for
 * {@code structures}, datasets for {@code references}: {@link EntryFields}), run by PostgreSQL with
 * the caller's visible datasets, the sort and the page.
 *
 * <p>Unknown values follow the OPTIMADE rule that only {@code IS UNKNOWN} matches them: under a
 * NOT, a condition on a missing value is SQL NULL, and NULL stays NULL under NOT, so
 * {@code NOT x = 1} does not match a material without x (outside NOTs FALSE does the same and lets
 * PostgreSQL use its indexes). A measured property ({@code _mihub_band_gap}) matches when any of
 * the material's measurements of it does, and is unknown when it has none.
 *
 * <p>What the grammar allows but this database does not do (comparing values of different types,
 * a whole list with =, ordering strings against strings as constants, filtering lattice vectors)
 * is UNIMPLEMENTED, which the gateway answers with 501.
 */
public final class EntrySearch {

    private static final String NULL = "(NULL::boolean)";

    public record SortKey(String field, boolean descending) {
    }

    /** The page query (ids in order, one more than the page) and the count of all matches. */
    public record Built(String pageSql, List<Object> pageParameters, String countSql, List<Object> countParameters,
            List<String> warnings) {
    }

    private final EntryFields fields;
    private final List<Object> parameters = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private EntrySearch(EntryFields fields) {
        this.fields = fields;
    }

    public static Built build(List<UUID> visible, Optional<Filter> filter, List<SortKey> sort, EntryFields fields,
            long offset, int limit) {
        EntrySearch search = new EntrySearch(fields);
        search.parameters.add(visible.toArray(UUID[]::new));
        String where = fields.datasetId() + " = ANY(?)"
                + (filter.isPresent() ? " AND " + search.condition(filter.get(), true) : "");
        List<Object> whereParameters = List.copyOf(search.parameters);
        String from = " FROM " + fields.from() + " WHERE " + where;
        String order = search.orderBy(sort);
        List<Object> page = new ArrayList<>(search.parameters);
        page.add(limit + 1);
        page.add(offset);
        return new Built("SELECT " + fields.id() + from + order + " LIMIT ? OFFSET ?", page,
                "SELECT count(*)" + from, whereParameters, List.copyOf(search.warnings));
    }

    /**
     * The SQL of a filter. {@code positive} is false under an odd number of NOTs: only there must an
     * unknown value give NULL rather than FALSE (with AND and OR alone a NULL can never make the
     * whole filter TRUE, so it may be FALSE), and a measured property may then use the simpler form
     * PostgreSQL answers with a semi-join on the (property, value) index.
     */
    private String condition(Filter filter, boolean positive) {
        if (filter instanceof Filter.And and) {
            return join(and.parts(), " AND ", positive);
        }
        if (filter instanceof Filter.Or or) {
            return join(or.parts(), " OR ", positive);
        }
        if (filter instanceof Filter.Not not) {
            return "(NOT " + condition(not.inner(), !positive) + ")";
        }
        if (filter instanceof Compare compare) {
            return compare(compare, positive);
        }
        if (filter instanceof Filter.Known known) {
            return known(fields.resolve(known.property(), warnings), known.known());
        }
        if (filter instanceof Filter.Bare bare) {
            return known(fields.resolve(bare.property(), warnings), true);
        }
        if (filter instanceof Filter.Fuzzy fuzzy) {
            return fuzzy(fuzzy);
        }
        if (filter instanceof Filter.Has has) {
            return has(has);
        }
        return length((Filter.Length) filter);
    }

    private String join(List<Filter> parts, String operator, boolean positive) {
        List<String> conditions = new ArrayList<>();
        List<Filter> rest = new ArrayList<>(parts);
        if (operator.equals(" AND ")) {
            conditions.addAll(sameMeasurement(rest, positive));
        }
        for (Filter part : rest) {
            conditions.add(condition(part, positive));
        }
        return "(" + String.join(operator, conditions) + ")";
    }

    /** {@code _mihub_x <op> constant} (either side first), or null when the part is anything else. */
    private Bound bound(Filter part) {
        if (!(part instanceof Compare compare)) {
            return null;
        }
        boolean propertyFirst = compare.left() instanceof Property && !(compare.right() instanceof Property);
        boolean constantFirst = compare.right() instanceof Property && !(compare.left() instanceof Property);
        if (!propertyFirst && !constantFirst) {
            return null;
        }
        Property property = (Property) (propertyFirst ? compare.left() : compare.right());
        Field field = fields.resolve(property, warnings);
        if (field.shape() != Shape.MEASURED) {
            return null;
        }
        Operand constant = propertyFirst ? compare.right() : compare.left();
        Operator operator = propertyFirst ? compare.operator() : compare.operator().mirrored();
        return new Bound(field, operator, value(field, constant));
    }

    private record Bound(Field field, Operator operator, Object value) {
    }

    /**
     * Comparisons of one measured property joined by AND hold for one and the same measurement
     * ({@code _mihub_band_gap >= 1 AND _mihub_band_gap <= 1.1}: a band gap measured in that range),
     * as a range does in the catalog's own search; one index range scan answers them. Removes them
     * from {@code parts} and returns their conditions.
     */
    private List<String> sameMeasurement(List<Filter> parts, boolean positive) {
        java.util.Map<String, List<Bound>> byProperty = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<Filter>> grouped = new java.util.LinkedHashMap<>();
        for (Filter part : parts) {
            Bound bound = bound(part);
            if (bound != null) {
                byProperty.computeIfAbsent(bound.field().name(), name -> new ArrayList<>()).add(bound);
                grouped.computeIfAbsent(bound.field().name(), name -> new ArrayList<>()).add(part);
            }
        }
        List<String> conditions = new ArrayList<>();
        byProperty.forEach((name, bounds) -> {
            if (bounds.size() < 2) {
                return;
            }
            parts.removeAll(grouped.get(name));
            conditions.add(measuredRange(bounds.get(0).field(), bounds, positive));
        });
        return conditions;
    }

    private String known(Field field, boolean known) {
        String test = switch (field.shape()) {
            case UNKNOWN -> "FALSE";
            case MEASURED -> measured(field, "");
            default -> "(" + field.sql() + " IS NOT NULL)";
        };
        return known ? test : "(NOT " + test + ")";
    }

    // ---- comparisons ------------------------------------------------------------------------------

    private String compare(Compare compare, boolean positive) {
        Operand left = compare.left();
        Operand right = compare.right();
        Operator operator = compare.operator();
        if (!(left instanceof Property) && right instanceof Property) {
            Operand swap = left;
            left = right;
            right = swap;
            operator = operator.mirrored();
        }
        if (!(left instanceof Property property)) {
            return constants(left, operator, right, compare.position());
        }
        Field field = fields.resolve(property, warnings);
        if (field.shape() == Shape.UNKNOWN) {
            return NULL;
        }
        if (right instanceof Property other) {
            return properties(field, operator, fields.resolve(other, warnings), compare.position());
        }
        switch (field.shape()) {
            case VALUE -> {
                Object value = value(field, right);
                return "(" + field.sql() + collation(field, operator) + " " + operator.symbol() + " ?)"
                        + bind(value);
            }
            case MEASURED -> {
                return measuredRange(field, List.of(new Bound(field, operator, value(field, right))), positive);
            }
            case LIST -> throw ApiException.unimplemented("filter: position " + compare.position() + ": '"
                    + field.name() + "' is a list: compare its items with HAS, HAS ALL, HAS ANY or HAS ONLY, and its "
                    + "length with LENGTH");
            default -> throw opaque(field, compare.position());
        }
    }

    /** {@code 5 < 7}: decided here; comparing two strings is not done. */
    private static String constants(Operand left, Operator operator, Operand right, int position) {
        int order;
        if (left instanceof Filter.Number a && right instanceof Filter.Number b) {
            order = a.value().compareTo(b.value());
        } else if (left instanceof Filter.Bool a && right instanceof Filter.Bool b
                && (operator == Operator.EQ || operator == Operator.NE)) {
            order = a.value() == b.value() ? 0 : 1;
        } else {
            throw ApiException.unimplemented("filter: position " + position + ": comparing two constants is done "
                    + "for numbers only");
        }
        boolean holds = switch (operator) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
        return holds ? "TRUE" : "FALSE";
    }

    /** {@code a < b} between two properties: single values of the same kind only. */
    private String properties(Field left, Operator operator, Field right, int position) {
        if (right.shape() == Shape.UNKNOWN) {
            return NULL;
        }
        boolean numeric = numeric(left) && numeric(right);
        if (left.shape() != Shape.VALUE || right.shape() != Shape.VALUE || !numeric && left.type() != right.type()) {
            throw ApiException.unimplemented("filter: position " + position + ": comparing '" + left.name()
                    + "' with '" + right.name() + "' is not supported (only single values of the same type)");
        }
        return "(" + left.sql() + collation(left, operator) + " " + operator.symbol() + " " + right.sql()
                + collation(right, operator) + ")";
    }

    private static boolean numeric(Field field) {
        return field.type() == Type.INTEGER || field.type() == Type.FLOAT;
    }

    /** Strings order by code point, as the filter language compares them. */
    private static String collation(Field field, Operator operator) {
        return field.type() == Type.STRING && operator != Operator.EQ && operator != Operator.NE ? " COLLATE \"C\"" : "";
    }

    /** The constant as the SQL parameter for a field of this type; a type mismatch is UNIMPLEMENTED. */
    private static Object value(Field field, Operand operand) {
        Type type = field.type();
        if (type == Type.STRING && operand instanceof Filter.Text text) {
            return text.value();
        }
        if (type == Type.STRING && field.shape() == Shape.MEASURED && operand instanceof Filter.Bool bool) {
            return Boolean.toString(bool.value()); // a boolean property's label
        }
        if ((type == Type.INTEGER || type == Type.FLOAT) && operand instanceof Filter.Number number) {
            return number(number);
        }
        if (type == Type.TIMESTAMP && operand instanceof Filter.Text text) {
            try {
                return OffsetDateTime.parse(text.value());
            } catch (DateTimeParseException zoned) {
                // OPTIMADE: a time without an offset is taken as UTC
            }
            try {
                return LocalDateTime.parse(text.value()).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("filter", "position " + text.position() + ": '" + text.value()
                        + "' is not an RFC 3339 time such as 2024-05-01T12:00:00Z");
            }
        }
        throw ApiException.unimplemented("filter: position " + operand.position() + ": '" + field.name() + "' is "
                + article(type) + " and is not compared with " + describe(operand));
    }

    private static Double number(Filter.Number number) {
        double value = number.value().doubleValue();
        if (Double.isInfinite(value) || value == 0 && number.value().compareTo(BigDecimal.ZERO) != 0) {
            throw ApiException.unimplemented("filter: position " + number.position() + ": the number "
                    + number.literal() + " is beyond the range of double precision");
        }
        return value;
    }

    private static String article(Type type) {
        return switch (type) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case FLOAT -> "a number";
            case TIMESTAMP -> "a time (compared with a string in RFC 3339 form)";
        };
    }

    private static String describe(Operand operand) {
        if (operand instanceof Filter.Text) {
            return "a string";
        }
        if (operand instanceof Filter.Number) {
            return "a number";
        }
        if (operand instanceof Filter.Bool) {
            return "TRUE or FALSE";
        }
        return "a property";
    }

    private static ApiException opaque(Field field, int position) {
        return ApiException.unimplemented("filter: position " + position + ": '" + field.name()
                + "' can only be filtered with IS KNOWN, IS UNKNOWN and LENGTH");
    }

    // ---- strings, lists ---------------------------------------------------------------------------

    private String fuzzy(Filter.Fuzzy fuzzy) {
        Field field = fields.resolve(fuzzy.property(), warnings);
        if (field.shape() == Shape.UNKNOWN) {
            return NULL;
        }
        if (field.shape() != Shape.VALUE || field.type() != Type.STRING) {
            throw ApiException.unimplemented("filter: position " + fuzzy.position() + ": CONTAINS, STARTS and "
                    + "ENDS apply to strings, and '" + field.name() + "' is not one");
        }
        if (!(fuzzy.value() instanceof Filter.Text text)) {
            throw ApiException.unimplemented("filter: position " + fuzzy.value().position() + ": CONTAINS, STARTS "
                    + "and ENDS take a string");
        }
        return fuzzyTest(field.sql(), fuzzy.operator(), text.value());
    }

    private String fuzzyTest(String sql, Filter.FuzzyOperator operator, String text) {
        return switch (operator) {
            case CONTAINS -> "(strpos(" + sql + ", ?) > 0)" + bind(text);
            case STARTS_WITH -> "starts_with(" + sql + ", ?)" + bind(text);
            case ENDS_WITH -> "(right(" + sql + ", char_length(?)) = ?)" + bind(text) + bind(text);
        };
    }

    private String has(Filter.Has has) {
        List<Field> lists = new ArrayList<>();
        for (Property property : has.properties()) {
            Field field = fields.resolve(property, warnings);
            if (field.shape() == Shape.UNKNOWN) {
                return NULL;
            }
            if (field.shape() == Shape.OPAQUE) {
                throw opaque(field, property.position());
            }
            if (field.shape() != Shape.LIST) {
                throw ApiException.unimplemented("filter: position " + property.position() + ": HAS applies to "
                        + "lists, and '" + field.name() + "' is " + (field.shape() == Shape.MEASURED
                                ? "one value per measurement: compare it with =, <, > ..." : "not one"));
            }
            lists.add(field);
        }
        for (List<Filter.Test> tuple : has.tuples()) {
            if (tuple.size() != lists.size()) {
                throw ApiException.invalid("filter", "position " + has.position() + ": " + lists.size()
                        + " properties are zipped, but a value tuple has " + tuple.size() + " values");
            }
        }
        if (lists.size() == 1 && has.tuples().stream().allMatch(tuple -> tuple.get(0).operator() == Operator.EQ)) {
            return arrayTest(lists.get(0), has);
        }
        String unnest = "unnest(" + String.join(", ", lists.stream().map(Field::sql).toList()) + ") AS z("
                + String.join(", ", java.util.stream.IntStream.range(0, lists.size()).mapToObj(i -> "v" + i).toList())
                + ")";
        String test = switch (has.quantifier()) {
            case ONE, ANY -> "EXISTS (SELECT 1 FROM " + unnest + " WHERE " + anyTuple(lists, has.tuples()) + ")";
            case ALL -> {
                List<String> each = new ArrayList<>();
                for (List<Filter.Test> tuple : has.tuples()) {
                    each.add("EXISTS (SELECT 1 FROM " + unnest + " WHERE " + tuple(lists, tuple) + ")");
                }
                yield "(" + String.join(" AND ", each) + ")";
            }
            case ONLY -> "NOT EXISTS (SELECT 1 FROM " + unnest + " WHERE NOT " + anyTuple(lists, has.tuples()) + ")";
        };
        return "(CASE WHEN " + lists.get(0).sql() + " IS NULL THEN NULL ELSE " + test + " END)";
    }

    /** {@code elements HAS ALL "Fe","O"} as array containment, which the GIN index on elements answers. */
    private String arrayTest(Field list, Filter.Has has) {
        List<Object> values = new ArrayList<>();
        for (List<Filter.Test> tuple : has.tuples()) {
            values.add(value(list, tuple.get(0).value()));
        }
        String operator = switch (has.quantifier()) {
            case ONE, ALL -> "@>";
            case ANY -> "&&";
            case ONLY -> "<@";
        };
        Object array = switch (list.type()) {
            case STRING -> values.toArray(String[]::new);
            case INTEGER -> values.stream().map(value -> (long) (double) (Double) value).toArray(Long[]::new);
            default -> values.toArray(Double[]::new);
        };
        return "(" + list.sql() + " " + operator + " ?)" + bind(array);
    }

    private String anyTuple(List<Field> lists, List<List<Filter.Test>> tuples) {
        List<String> each = new ArrayList<>();
        for (List<Filter.Test> tuple : tuples) {
            each.add(tuple(lists, tuple));
        }
        return "(" + String.join(" OR ", each) + ")";
    }

    private String tuple(List<Field> lists, List<Filter.Test> tuple) {
        List<String> tests = new ArrayList<>();
        for (int i = 0; i < tuple.size(); i++) {
            Filter.Test test = tuple.get(i);
            Field item = lists.get(i);
            if (test.value() instanceof Property) {
                throw ApiException.unimplemented("filter: position " + test.value().position() + ": HAS compares "
                        + "list items with constants only");
            }
            if (test.fuzzy() != null) {
                if (item.type() != Type.STRING || !(test.value() instanceof Filter.Text text)) {
                    throw ApiException.unimplemented("filter: position " + test.value().position() + ": CONTAINS, "
                            + "STARTS and ENDS apply to strings");
                }
                tests.add(fuzzyTest("v" + i, test.fuzzy(), text.value()));
            } else {
                Object value = value(item, test.value());
                String collate = item.type() == Type.STRING && test.operator() != Operator.EQ
                        && test.operator() != Operator.NE ? " COLLATE \"C\"" : "";
                tests.add("(v" + i + collate + " " + test.operator().symbol() + " ?)" + bind(value));
            }
        }
        return "(" + String.join(" AND ", tests) + ")";
    }

    private String length(Filter.Length length) {
        Field field = fields.resolve(length.property(), warnings);
        if (field.shape() == Shape.UNKNOWN) {
            return NULL;
        }
        String size = switch (field.shape()) {
            case LIST -> "cardinality(" + field.sql() + ")";
            case OPAQUE -> field.sql();
            default -> throw ApiException.unimplemented("filter: position " + length.position() + ": LENGTH "
                    + "applies to lists, and '" + field.name() + "' is not one");
        };
        if (!(length.value() instanceof Filter.Number number) || number.value().stripTrailingZeros().scale() > 0) {
            throw ApiException.unimplemented("filter: position " + length.value().position() + ": LENGTH is "
                    + "compared with a whole number");
        }
        return "(" + size + " " + length.operator().symbol() + " ?)" + bind(number(number));
    }

    /**
     * Materials with one measurement of the property within all the bounds; under a NOT, NULL for
     * materials without a measurement of it (only IS UNKNOWN matches them).
     */
    private String measuredRange(Field field, List<Bound> bounds, boolean positive) {
        String known = positive ? null : measured(field, "");
        StringBuilder range = new StringBuilder();
        // a numeric property compares its values, the others their labels (by code point, as strings do)
        String column = field.type() == Type.STRING ? "x.label COLLATE \"C\" " : "x.value ";
        bounds.forEach(bound -> range.append(" AND ").append(column).append(bound.operator().symbol()).append(" ?"));
        String match = measured(field, range.toString());
        bounds.forEach(bound -> bind(bound.value()));
        return positive ? match : "(CASE WHEN " + known + " THEN " + match + " END)";
    }

    /** Materials with a measurement of the property (that meets {@code condition}): answered from the index. */
    private String measured(Field field, String condition) {
        parameters.add(field.sql());
        return "(" + fields.id() + " IN (SELECT x.material_id FROM measurement x WHERE x.property = ?" + condition
                + "))";
    }

    // ---- sort -------------------------------------------------------------------------------------

    private String orderBy(List<SortKey> sort) {
        List<String> keys = new ArrayList<>();
        for (SortKey key : sort) {
            String prefix = ProviderPrefix.of(key.field());
            if (prefix != null && !prefix.equals(EntryFields.PREFIX)) {
                warnings.add("sort: '" + key.field() + "' belongs to the provider '" + prefix + "', not to this "
                        + "database: it has not been sorted on");
                continue;
            }
            Field field = fields.lookup(key.field()).orElseThrow(() -> ApiException.invalid("sort", "unknown "
                    + "property '" + key.field() + "' (see /info/" + fields.entryType() + " for the properties of this database)"));
            String direction = key.descending() ? " DESC" : " ASC";
            if (!field.sortable()) {
                throw ApiException.invalid("sort", "'" + key.field() + "' is not sortable (see /info/" + fields.entryType() + ")");
            }
            if (field.shape() == Shape.MEASURED) {
                keys.add("(SELECT " + (key.descending() ? "max" : "min") + "(x.value) FROM measurement x "
                        + "WHERE x.material_id = " + fields.id() + " AND x.property = ?)" + direction + " NULLS LAST");
                parameters.add(field.sql());
            } else {
                keys.add(field.sql() + (field.type() == Type.STRING ? " COLLATE \"C\"" : "") + direction
                        + " NULLS LAST");
            }
        }
        keys.add(fields.id());
        return " ORDER BY " + String.join(", ", keys);
    }

    /** Adds a parameter; returns "" so that a condition and its parameter read together. */
    private String bind(Object value) {
        parameters.add(value);
        return "";
    }
}

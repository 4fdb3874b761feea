package org.mihub.catalog.ingest;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.measure.UnitConverter;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.mihub.catalog.ingest.Rejection.Code;
import org.mihub.catalog.service.Property;
import org.mihub.common.units.Units;
import org.mihub.common.chemistry.Composition;

/**
 * Reads an ingest CSV row by row (streaming: nothing but the current row is held) and validates
 * every cell. Columns (see the catalog-service README):
 * <ul>
 * <li>{@code formula} (required), {@code sample_id}, {@code tags} (separated by {@code ;}),
 * {@code method}, {@code instrument}, {@code source} (experiment, simulation, prediction);</li>
 * <li>{@code <property> [unit]}: a measured value, e.g. {@code band_gap [eV]};
 * {@code <property>_uncertainty [unit]} (unit optional: the property column's);</li>
 * <li>{@code condition.<name> [unit]} or {@code condition.<name>}: a condition of every
 * measurement of the row, e.g. {@code condition.temperature [K]};</li>
 * <li>{@code step<N>.<kind>.<parameter> [unit]} or without unit for text: process step N,
 * e.g. {@code step1.anneal.temperature [Cel]}, {@code step1.anneal.atmosphere}.</li>
 * </ul>
 */
public final class CsvRecordReader implements RecordReader {

    /** Largest accepted cell. */
    public static final int MAX_CELL = 64 * 1024;

    /** Most columns a document may have. */
    public static final int MAX_COLUMNS = 10_000;

    private static final Pattern WITH_UNIT = Pattern.compile("(?<name>[^\\[\\]]+?)\\s*\\[(?<unit>[^\\]]*)\\]");
    private static final Pattern STEP = Pattern.compile("step(?<index>[1-9][0-9]{0,2})\\.(?<kind>[a-z][a-z0-9-]*)"
            + "\\.(?<parameter>[a-z][a-z0-9_]*)");
    private static final Pattern CONDITION = Pattern.compile("condition\\.(?<name>[a-z][a-z0-9_]*)");
    private static final Set<String> SOURCES = Set.of("experiment", "simulation", "prediction");

    /** What a column means. */
    private sealed interface Column permits Reserved, Value, Label, Uncertainty, Condition, StepParameter {
    }

    /** A categorical, boolean or text property's column: no unit. */
    private record Label(Property property) implements Column {
    }

    private record Reserved(String name) implements Column {
    }

    private record Value(Property property, String unit, UnitConverter toCanonical) implements Column {
    }

    private record Uncertainty(Property property, String unit, UnitConverter toCanonical) implements Column {
    }

    private record Condition(String name, String unit) implements Column {
    }

    private record StepParameter(int index, String kind, String parameter, String unit) implements Column {
    }

    private final CSVParser parser;
    private final List<String> headers = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    private final List<Rejection> headerProblems = new ArrayList<>();
    private long rows;
    private boolean stopped;

    public CsvRecordReader(Reader reader, Map<String, Property> vocabulary) throws IOException {
        CSVParser parsed;
        try {
            parsed = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
                    .setAllowMissingColumnNames(true).setIgnoreEmptyLines(true)
                    .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get().parse(reader);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            if (rootCause(e) instanceof UploadInterruptedException interrupted) {
                throw interrupted;
            }
            parser = null;
            headerProblems.add(new Rejection(0, 1, "", Code.MALFORMED, "the header is not well-formed CSV: "
                    + rootCause(e).getMessage(), "", null));
            return;
        }
        parser = parsed;
        List<String> names = parser.getHeaderNames();
        if (names.size() > MAX_COLUMNS) {
            headerProblems.add(Rejection.document(Code.MALFORMED, "", "the header has " + names.size()
                    + " columns; at most " + MAX_COLUMNS + " columns are accepted"));
            return;
        }
        for (String header : names) {
            headers.add(header);
            if (header.indexOf('\0') >= 0) {
                headerProblems.add(Rejection.document(Code.INVALID_VALUE, header.replace('\0', ' '),
                        "a column name cannot contain a NUL character"));
                columns.add(new Reserved("ignored"));
                continue;
            }
            columns.add(classify(header, vocabulary));
        }
        resolveUncertaintyUnits();
        if (headers.isEmpty()) {
            headerProblems.add(Rejection.document(Code.EMPTY_DOCUMENT, "", "the document is empty"));
        } else if (!headers.contains("formula")) {
            headerProblems.add(0, Rejection.document(Code.MISSING_COLUMN, "formula", "a 'formula' column is required"));
        }
        Set<String> seen = new HashSet<>();
        for (String header : headers) {
            if (!seen.add(header)) {
                headerProblems.add(Rejection.document(Code.MALFORMED, header, "the column appears twice"));
            }
        }
    }

    /** An uncertainty column without a unit takes the unit of its property's value column. */
    private void resolveUncertaintyUnits() {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i) instanceof Uncertainty uncertainty && uncertainty.unit() == null) {
                Value value = columns.stream().filter(Value.class::isInstance).map(Value.class::cast)
                        .filter(candidate -> candidate.property().equals(uncertainty.property())).findFirst()
                        .orElse(null);
                if (value == null) {
                    headerProblems.add(Rejection.document(Code.MISSING_COLUMN, headers.get(i), "an uncertainty "
                            + "column without a unit needs the column of its value"));
                } else {
                    columns.set(i, new Uncertainty(uncertainty.property(), value.unit(), value.toCanonical()));
                }
            }
        }
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    /** Reads every row; stops at the first problem with the header or with the CSV syntax. */
    @Override
    public void read(RecordSink sink) {
        if (!headerProblems.isEmpty()) {
            headerProblems.forEach(sink::reject);
            return;
        }
        Iterator<CSVRecord> records = parser.iterator();
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    break;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                if (rootCause(e) instanceof UploadInterruptedException interrupted) {
                    throw new UncheckedIOException(interrupted);
                }
                sink.reject(new Rejection(rows + 1, parser.getCurrentLineNumber(), "", Code.MALFORMED,
                        "not well-formed CSV: " + rootCause(e).getMessage(), "", null));
                stopped = true;
                return;
            }
            rows++;
            readRow(record, sink);
        }
        if (rows == 0) {
            sink.reject(Rejection.document(Code.EMPTY_DOCUMENT, "", "the document has no data rows"));
        }
    }

    private void readRow(CSVRecord record, RecordSink sink) {
        long row = rows;
        long line = record.getCharacterPosition() >= 0 ? parser.getCurrentLineNumber() : 0;
        if (record.size() != headers.size()) {
            sink.reject(new Rejection(row, line, "", Code.MALFORMED, "the row has " + record.size()
                    + " fields, the header " + headers.size(), "", null));
            return;
        }
        List<Rejection> problems = new ArrayList<>();
        String formula = "";
        String sampleKey = null;
        List<String> tags = List.of();
        String method = "";
        String instrument = "";
        String source = "experiment";
        Map<String, Double[]> values = new LinkedHashMap<>();
        Map<String, String[]> units = new LinkedHashMap<>();
        Map<String, Double> uncertainties = new LinkedHashMap<>();
        Map<String, Labels.Coded> labels = new LinkedHashMap<>();
        List<MaterialRecord.Parameter> conditions = new ArrayList<>();
        Map<Integer, String> stepKinds = new TreeMap<>();
        Map<Integer, List<MaterialRecord.Parameter>> stepParameters = new TreeMap<>();
        for (int i = 0; i < headers.size(); i++) {
            String header = headers.get(i);
            String cell = record.get(i);
            if (cell.length() > MAX_CELL) {
                problems.add(new Rejection(row, line, header, Code.VALUE_TOO_LARGE,
                        "the value has " + cell.length() + " characters; at most " + MAX_CELL, cell, null));
                continue;
            }
            int nul = cell.indexOf('\0');
            if (nul >= 0) {
                problems.add(new Rejection(row, line, header, Code.INVALID_VALUE,
                        "a value cannot contain a NUL character (at character " + nul + ")", cell.replace('\0', ' '),
                        nul));
                continue;
            }
            Column column = columns.get(i);
            if (column instanceof Reserved reserved) {
                switch (reserved.name()) {
                    case "formula" -> formula = cell;
                    case "sample_id" -> sampleKey = cell.isEmpty() ? null : cell;
                    case "tags" -> tags = cell.isEmpty() ? List.of() : List.of(cell.split("\\s*;\\s*"));
                    case "method" -> method = cell;
                    case "instrument" -> instrument = cell;
                    case "source" -> {
                        if (!cell.isEmpty()) {
                            if (SOURCES.contains(cell)) {
                                source = cell;
                            } else {
                                problems.add(new Rejection(row, line, header, Code.INVALID_VALUE,
                                        "source must be experiment, simulation or prediction", cell, null));
                            }
                        }
                    }
                    default -> throw new IllegalStateException(reserved.name());
                }
            } else if (cell.isEmpty()) {
                continue;
            } else if (column instanceof Value value) {
                Double number = number(cell, row, line, header, problems);
                if (number != null) {
                    double canonical = value.toCanonical().convert(number).doubleValue();
                    if (Labels.inRange(value.property(), canonical, row, line, header, cell, problems)) {
                        values.put(value.property().name(), new Double[] {canonical, number});
                        units.put(value.property().name(), new String[] {value.unit()});
                    }
                }
            } else if (column instanceof Label label) {
                var coded = Labels.code(label.property(), cell, row, line, header, problems);
                if (coded != null) {
                    labels.put(label.property().name(), coded);
                }
            } else if (column instanceof Uncertainty uncertainty) {
                Double number = number(cell, row, line, header, problems);
                if (number != null && number < 0) {
                    problems.add(new Rejection(row, line, header, Code.BAD_NUMBER, "an uncertainty cannot be negative",
                            cell, null));
                } else if (number != null) {
                    UnitConverter converter = uncertainty.toCanonical();
                    // an uncertainty is a difference: convert the interval, not the point (Cel and K differ by an offset)
                    double canonical = converter.convert(number).doubleValue() - converter.convert(0.0);
                    uncertainties.put(uncertainty.property().name(), Math.abs(canonical));
                }
            } else if (column instanceof Condition condition) {
                conditions.add(parameter(condition.name(), condition.unit(), cell, row, line, header, problems));
            } else if (column instanceof StepParameter step) {
                stepKinds.putIfAbsent(step.index(), step.kind());
                if (!stepKinds.get(step.index()).equals(step.kind())) {
                    problems.add(new Rejection(row, line, header, Code.INVALID_VALUE, "step " + step.index()
                            + " is both '" + stepKinds.get(step.index()) + "' and '" + step.kind() + "'", cell, null));
                }
                stepParameters.computeIfAbsent(step.index(), k -> new ArrayList<>())
                        .add(parameter(step.parameter(), step.unit(), cell, row, line, header, problems));
            }
        }
        List<Rejection> warnings = new ArrayList<>();
        Composition composition = FormulaCell.parse(formula, row, line, problems, warnings);
        for (String property : uncertainties.keySet()) {
            if (!values.containsKey(property)) {
                problems.add(new Rejection(row, line, property + "_uncertainty", Code.MISSING_VALUE,
                        "an uncertainty without a value of " + property, "", null));
            }
        }
        if (sampleKey != null) {
            sink.key(row, line, "sample_id", sampleKey, !problems.isEmpty());
        }
        if (!problems.isEmpty()) {
            problems.forEach(sink::reject);
            return;
        }
        List<MaterialRecord.Measurement> measurements = new ArrayList<>();
        for (var entry : values.entrySet()) {
            String property = entry.getKey();
            measurements.add(new MaterialRecord.Measurement(property, entry.getValue()[0],
                    uncertainties.get(property), entry.getValue()[1], units.get(property)[0], method, instrument,
                    List.copyOf(conditions), source, null, null, null));
        }
        for (var entry : labels.entrySet()) {
            measurements.add(new MaterialRecord.Measurement(entry.getKey(), entry.getValue().code(), null,
                    entry.getValue().code(), "", method, instrument, List.copyOf(conditions), source, null, null,
                    entry.getValue().label()));
        }
        List<MaterialRecord.ProcessStep> steps = new ArrayList<>();
        stepKinds.forEach((index, kind) -> steps.add(new MaterialRecord.ProcessStep(index, kind,
                List.copyOf(stepParameters.get(index)))));
        warnings.forEach(sink::warn);
        sink.accept(new MaterialRecord(row, sampleKey, formula, composition, tags, steps, measurements, null, "[]"));
    }

    private static MaterialRecord.Parameter parameter(String name, String unit, String cell, long row, long line,
            String header, List<Rejection> problems) {
        if (unit == null) {
            return new MaterialRecord.Parameter(name, null, null, cell);
        }
        Double number = number(cell, row, line, header, problems);
        return new MaterialRecord.Parameter(name, number, unit, null);
    }

    private static Double number(String cell, long row, long line, String header, List<Rejection> problems) {
        try {
            double value = Double.parseDouble(cell);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new Rejection(row, line, header, Code.BAD_NUMBER, "not a finite number", cell, null));
        return null;
    }

    private Column classify(String header, Map<String, Property> vocabulary) {
        String name = header;
        String unit = null;
        Matcher withUnit = WITH_UNIT.matcher(header);
        if (withUnit.matches()) {
            name = withUnit.group("name").trim();
            unit = withUnit.group("unit").trim();
        }
        try {
            if (unit == null && Set.of("formula", "sample_id", "tags", "method", "instrument", "source").contains(name)) {
                return new Reserved(name);
            }
            if (vocabulary.containsKey(name)) {
                Property property = vocabulary.get(name);
                if (property.deprecated()) {
                    headerProblems.add(Rejection.document(Code.UNKNOWN_PROPERTY, header, "'" + name
                            + "' is deprecated and takes no new values" + (property.deprecationReason().isEmpty() ? ""
                                    : " (" + property.deprecationReason() + ")")));
                    return new Reserved("ignored");
                }
                if (!property.numeric()) {
                    if (unit != null) {
                        headerProblems.add(Rejection.document(Code.INCOMPATIBLE_UNIT, header, "'" + name + "' is "
                                + property.summary() + " and has no unit: name the column '" + name + "'"));
                        return new Reserved("ignored");
                    }
                    return new Label(property);
                }
                if (unit == null || unit.isEmpty()) {
                    headerProblems.add(Rejection.document(Code.UNKNOWN_COLUMN, header,
                            "a property column needs its unit, e.g. '" + name + " [" + property.canonicalUnit() + "]'"));
                    return new Reserved("ignored");
                }
                return new Value(property, unit, Units.converter(unit, property.canonicalUnit()));
            }
            if (name.endsWith("_uncertainty") && vocabulary.containsKey(name.substring(0, name.length() - 12))) {
                Property property = vocabulary.get(name.substring(0, name.length() - 12));
                if (!property.numeric()) {
                    headerProblems.add(Rejection.document(Code.INVALID_VALUE, header, "'" + property.name() + "' is "
                            + property.summary() + ": only a numeric property has an uncertainty"));
                    return new Reserved("ignored");
                }
                String uncertaintyUnit = unit == null || unit.isEmpty() ? null : unit;
                return new Uncertainty(property, uncertaintyUnit, uncertaintyUnit == null ? null
                        : Units.converter(uncertaintyUnit, property.canonicalUnit()));
            }
            Matcher condition = CONDITION.matcher(name);
            if (condition.matches()) {
                if (unit != null) {
                    Units.parse(unit);
                }
                return new Condition(condition.group("name"), unit);
            }
            Matcher step = STEP.matcher(name);
            if (step.matches()) {
                if (unit != null) {
                    Units.parse(unit);
                }
                return new StepParameter(Integer.parseInt(step.group("index")), step.group("kind"),
                        step.group("parameter"), unit);
            }
        } catch (Units.UnitException e) {
            headerProblems.add(Rejection.document(Code.INCOMPATIBLE_UNIT, header, e.getMessage()));
            return new Reserved("ignored");
        }
        headerProblems.add(Rejection.document(unit == null ? Code.UNKNOWN_COLUMN : Code.UNKNOWN_PROPERTY, header,
                (unit == null ? "unknown column '" + header + "': not formula, sample_id, tags, method, instrument, "
                        + "source, condition.<name>, step<N>.<kind>.<parameter> or a property of the vocabulary"
                        : "'" + name + "' is not in the property vocabulary") + Labels.closeMatches(name, vocabulary)));
        return new Reserved("ignored");
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

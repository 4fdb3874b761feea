package org.mihub.catalog.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.MaterialRepository;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;

/**
 * A whole dataset, read page by page in id order (as it was at a version, if asked), for a
 * streamed export. Each page is one query, so nothing but the current page is held and no
 * connection stays open between pages; the read is written to the owner's access log at the end.
 */
@ApplicationScoped
public class ExportService {

    private static final int PAGE = 1000;

    @Inject
    DataSource dataSource;

    @Inject
    DatasetService datasets;

    @Inject
    MaterialRepository materials;

    @Inject
    PropertyService properties;

    /**
     * What to export: only measurements of these properties and from these sources (empty: all),
     * and only materials left with at least one measurement when either is given.
     */
    public record Filter(List<String> properties, List<String> sources) {

        public static final Filter NONE = new Filter(List.of(), List.of());

        boolean active() {
            return !properties.isEmpty() || !sources.isEmpty();
        }

        boolean keeps(Material.Measurement measurement) {
            return (properties.isEmpty() || properties.contains(measurement.property()))
                    && (sources.isEmpty() || sources.contains(measurement.source()));
        }

        /** The SQL condition on a measurement {@code x}, with its parameters. */
        String condition(List<Object> parameters) {
            StringBuilder sql = new StringBuilder("TRUE");
            if (!properties.isEmpty()) {
                sql.append(" AND x.property = ANY(?)");
                parameters.add(properties.toArray(String[]::new));
            }
            if (!sources.isEmpty()) {
                sql.append(" AND x.source = ANY(?)");
                parameters.add(sources.toArray(String[]::new));
            }
            return sql.toString();
        }
    }

    /**
     * The dataset to export and the version exported; NOT_FOUND when hidden, INVALID_ARGUMENT for a future version.
     * {@code properties} are the definitions of the properties it has measurements of, by name; {@code csv}
     * the CSV layout (found only for a CSV export: {@link CsvLayout#EMPTY} otherwise).
     */
    public record Plan(Dataset dataset, int version, List<Property> properties, Filter filter, CsvLayout csv) {
    }

    /**
     * What the CSV export's columns must hold beyond sample id, formula, tags and the properties, found
     * over the whole export before its first row: the conditions of the exported measurements (by name
     * and unit; {@code null} unit for a text condition), the process steps' parameters (by step number,
     * kind, parameter and unit), and whether any measurement names a method, an instrument or a source
     * other than {@code experiment}. The CSV ingest reads each of them back (CsvRecordReader).
     */
    public record CsvLayout(List<Column> conditions, List<StepColumn> steps, boolean methods, boolean instruments,
            boolean sources) {

        public static final CsvLayout EMPTY = new CsvLayout(List.of(), List.of(), false, false, false);
    }

    /** A condition column: {@code condition.<name> [unit]}, or {@code condition.<name>} for text. */
    public record Column(String name, String unit) {
    }

    /** A process-step column: {@code step<index>.<kind>.<parameter> [unit]}, no unit for text. */
    public record StepColumn(int index, String kind, String parameter, String unit) {
    }

    public Plan plan(Optional<Caller> caller, UUID datasetId, Integer asOfVersion, Filter filter, boolean csv) {
        Dataset dataset = datasets.visible(caller, datasetId);
        var definitions = properties.all();
        Set<String> vocabulary = definitions.keySet();
        for (int i = 0; i < filter.properties().size(); i++) {
            if (!vocabulary.contains(filter.properties().get(i))) {
                throw ApiException.invalid("properties[" + i + "]",
                        "'" + filter.properties().get(i) + "' is not in the property vocabulary");
            }
        }
        int version = asOfVersion == null ? dataset.version() : asOfVersion;
        if (version < 1 || version > dataset.version()) {
            throw ApiException.invalid("as_of_version", "the dataset has versions 1 to " + dataset.version());
        }
        List<Object> parameters = new ArrayList<>(List.of(datasetId, version));
        String condition = filter.condition(parameters);
        List<String> columns = SqlErrors.call(() -> {
            try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                    .prepareStatement("SELECT DISTINCT x.property FROM measurement x JOIN material m ON m.id = "
                            + "x.material_id WHERE x.dataset_id = ? AND m.dataset_version <= ? AND " + condition
                            + " ORDER BY 1")) {
                MaterialRepository.bind(connection, select, parameters);
                List<String> names = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
                return names;
            }
        });
        return new Plan(dataset, version, columns.stream().map(name -> definitions.get(name) != null
                ? definitions.get(name) : properties.current().get(name)).toList(), filter,
                csv ? csvLayout(datasetId, version, filter) : CsvLayout.EMPTY);
    }

    private CsvLayout csvLayout(UUID datasetId, int version, Filter filter) {
        List<Object> parameters = new ArrayList<>(List.of(datasetId, version));
        String condition = filter.condition(parameters);
        String exported = "FROM measurement x JOIN material m ON m.id = x.material_id WHERE x.dataset_id = ? "
                + "AND m.dataset_version <= ? AND " + condition;
        return SqlErrors.call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                List<Column> conditions = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT c ->> 'name', "
                        + "CASE WHEN jsonb_typeof(c -> 'text') = 'string' THEN NULL ELSE c ->> 'unit' END " + exported.replace("FROM measurement x",
                                "FROM measurement x CROSS JOIN LATERAL jsonb_array_elements(x.conditions) c") + " ORDER BY 1, 2")) {
                    MaterialRepository.bind(connection, select, parameters);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            conditions.add(new Column(rows.getString(1), rows.getString(2)));
                        }
                    }
                }
                List<StepColumn> steps = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT s.i, s.step ->> 'kind', "
                        + "p ->> 'name', CASE WHEN jsonb_typeof(p -> 'text') = 'string' THEN NULL ELSE p ->> 'unit' END FROM material m "
                        + "CROSS JOIN LATERAL jsonb_array_elements(m.process_steps) WITH ORDINALITY s(step, i) "
                        + "CROSS JOIN LATERAL jsonb_array_elements(s.step -> 'parameters') p "
                        + "WHERE m.id IN (SELECT x.material_id " + exported + ") ORDER BY 1, 2, 3, 4")) {
                    MaterialRepository.bind(connection, select, parameters);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            steps.add(new StepColumn(rows.getInt(1), rows.getString(2), rows.getString(3),
                                    rows.getString(4)));
                        }
                    }
                }
                try (PreparedStatement select = connection.prepareStatement("SELECT bool_or(x.method <> ''), "
                        + "bool_or(x.instrument <> ''), bool_or(x.source <> 'experiment') " + exported)) {
                    MaterialRepository.bind(connection, select, parameters);
                    try (ResultSet rows = select.executeQuery()) {
                        rows.next();
                        return new CsvLayout(List.copyOf(conditions), List.copyOf(steps), rows.getBoolean(1),
                                rows.getBoolean(2), rows.getBoolean(3));
                    }
                }
            }
        });
    }

    /** Pages of materials with their measurements, in id order. */
    public Iterator<List<Material>> pages(Plan plan) {
        return new Iterator<>() {
            private List<Material> next;
            private UUID after;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = page(plan, after);
                    if (next.isEmpty()) {
                        done = true;
                        next = null;
                    } else {
                        after = next.get(next.size() - 1).id();
                        done = next.size() < PAGE;
                    }
                }
                return next != null;
            }

            @Override
            public List<Material> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Material> page = next;
                next = null;
                return page;
            }
        };
    }

    private List<Material> page(Plan plan, UUID after) {
        List<Object> parameters = new ArrayList<>(List.of(plan.dataset().id(), plan.version()));
        StringBuilder sql = new StringBuilder("SELECT " + MaterialRepository.COLUMNS + " FROM material m JOIN dataset d "
                + "ON d.id = m.dataset_id WHERE m.dataset_id = ? AND m.dataset_version <= ?");
        if (after != null) {
            sql.append(" AND m.id > ?");
            parameters.add(after);
        }
        if (plan.filter().active()) {
            sql.append(" AND EXISTS (SELECT 1 FROM measurement x WHERE x.material_id = m.id AND ")
                    .append(plan.filter().condition(parameters)).append(")");
        }
        sql.append(" ORDER BY m.id LIMIT " + PAGE);
        List<Material> page = SqlErrors.call(() -> materials.search(sql.toString(), parameters));
        if (!plan.filter().active()) {
            return page;
        }
        return page.stream().map(material -> material.withMeasurements(
                material.measurements().stream().filter(plan.filter()::keeps).toList())).toList();
    }

    /** The finished export, in the owner's access log when the reader is of another organisation. */
    public void exported(Optional<Caller> caller, Dataset dataset, long records) {
        datasets.logRead(caller, dataset, "export", records);
    }
}

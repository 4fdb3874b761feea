package org.mihub.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.service.Material;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Materials and their measurements in PostgreSQL; searches are SQL built by {@code MaterialSearch}. */
@ApplicationScoped
public class MaterialRepository {

    public static final String COLUMNS = "m.id, m.dataset_id, d.owner_org, m.sample_key, m.formula, m.composition::text "
            + "AS composition, m.reduced_formula, m.elements, m.nelements, m.tags, m.process_steps::text AS steps, "
            + "m.structure::text AS structure, m.external_ids::text AS external_ids, m.dataset_version, m.created_by, "
            + "m.created_at";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    /** Runs a search built by {@link MaterialSearch}: materials in order, measurements attached. */
    public List<Material> search(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<Material> materials = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                bind(connection, select, parameters);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        materials.add(map(rows));
                    }
                }
            }
            return withMeasurements(connection, materials);
        }
    }

    /** The first step of a search: the ids of a page, in order. */
    public List<UUID> ids(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            bind(connection, select, parameters);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** A count built like a search: {@code SELECT count(*) ...}. */
    public long count(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            bind(connection, select, parameters);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * For each element, how many materials of these datasets contain it, by symbol: one pass over the
     * materials of the datasets (their element arrays), grouped by element.
     */
    public Map<String, Long> elementCounts(List<UUID> datasets) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT e.element, count(*) FROM material m "
                        + "CROSS JOIN LATERAL unnest(m.elements) AS e(element) WHERE m.dataset_id = ANY(?) "
                        + "GROUP BY e.element ORDER BY e.element")) {
            bind(connection, select, List.of((Object) datasets.toArray(UUID[]::new)));
            Map<String, Long> counts = new LinkedHashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        }
    }

    /** The materials with these ids, in the order given, measurements attached. */
    public List<Material> byIds(List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Material> found = search("SELECT " + COLUMNS + " FROM material m JOIN dataset d ON d.id = m.dataset_id "
                + "WHERE m.id = ANY(?)", List.of((Object) ids.toArray(UUID[]::new)));
        Map<UUID, Material> byId = new LinkedHashMap<>();
        found.forEach(material -> byId.put(material.id(), material));
        return ids.stream().map(byId::get).filter(material -> material != null).toList();
    }

    private List<Material> withMeasurements(Connection connection, List<Material> materials) throws SQLException {
        if (materials.isEmpty()) {
            return materials;
        }
        Map<UUID, List<Material.Measurement>> byMaterial = new LinkedHashMap<>();
        materials.forEach(material -> byMaterial.put(material.id(), new ArrayList<>()));
        try (PreparedStatement select = connection.prepareStatement("SELECT x.id, x.material_id, x.property, x.value, "
                + "p.canonical_unit, x.uncertainty, x.reported_value, x.reported_unit, x.method, x.instrument, "
                + "x.conditions::text, x.source, x.source_ref, x.campaign_id, x.proposal_id, x.label FROM measurement x "
                + "JOIN property p ON p.name = x.property WHERE x.material_id = ANY(?) ORDER BY x.property, x.id")) {
            select.setArray(1, connection.createArrayOf("uuid", byMaterial.keySet().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    double uncertainty = rows.getDouble(6);
                    Double maybeUncertainty = rows.wasNull() ? null : uncertainty;
                    byMaterial.get(rows.getObject(2, UUID.class)).add(new Material.Measurement(
                            rows.getObject(1, UUID.class), rows.getString(3), rows.getDouble(4), rows.getString(5),
                            maybeUncertainty, rows.getDouble(7), rows.getString(8), rows.getString(9),
                            rows.getString(10), rows.getString(11), rows.getString(12), rows.getString(13),
                            rows.getString(14), rows.getString(15), rows.getString(16)));
                }
            }
        }
        return materials.stream().map(material -> material.withMeasurements(byMaterial.get(material.id()))).toList();
    }

    public static void bind(Connection connection, PreparedStatement statement, List<Object> parameters)
            throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof String[] texts) {
                statement.setArray(i + 1, connection.createArrayOf("text", texts));
            } else if (parameter instanceof UUID[] ids) {
                statement.setArray(i + 1, connection.createArrayOf("uuid", ids));
            } else if (parameter instanceof Double[] numbers) {
                statement.setArray(i + 1, connection.createArrayOf("float8", numbers));
            } else if (parameter instanceof Long[] numbers) {
                statement.setArray(i + 1, connection.createArrayOf("int8", numbers));
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }

    private static Material map(ResultSet row) throws SQLException {
        Array elements = row.getArray("elements");
        Array tags = row.getArray("tags");
        try {
            Map<String, Double> composition = JSON.readValue(row.getString("composition"),
                    new TypeReference<LinkedHashMap<String, Double>>() {
                    });
            return new Material(row.getObject("id", UUID.class), row.getObject("dataset_id", UUID.class),
                    row.getString("owner_org"), row.getString("sample_key"), row.getString("formula"), composition,
                    row.getString("reduced_formula"), Arrays.asList((String[]) elements.getArray()),
                    row.getInt("nelements"), Arrays.asList((String[]) tags.getArray()), row.getString("steps"),
                    row.getString("structure"), row.getString("external_ids"), row.getInt("dataset_version"), row.getString("created_by"),
                    row.getTimestamp("created_at").toInstant(), List.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable composition", e);
        }
    }
}

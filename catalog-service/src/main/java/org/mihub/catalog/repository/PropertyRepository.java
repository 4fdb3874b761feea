package org.mihub.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.mihub.catalog.service.Property;

/**
 * The vocabulary's table, {@code property} (migrations V2, V8, V9), over JDBC on the caller's
 * connection: read all, read one (optionally locked for a change), insert, and write back a changed
 * definition with its version bumped.
 */
@ApplicationScoped
public class PropertyRepository {

    private static final String COLUMNS = "name, display_name_en, display_name_ja, description, value_type, "
            + "canonical_unit, quantity_kind, min_value, max_value, labels, added_by, added_by_org, added_at, "
            + "updated_at, version, deprecated, deprecation_reason";

    /** Every property by name, sorted by name. */
    public Map<String, Property> all(Connection connection) throws SQLException {
        Map<String, Property> properties = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM property ORDER BY name");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Property property = read(rows);
                properties.put(property.name(), property);
            }
        }
        return properties;
    }

    public Optional<Property> find(Connection connection, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM property WHERE name = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /** Inserts a new property; false when the name exists already (nothing written). */
    public boolean insert(Connection connection, Property property) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO property (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
            bind(connection, insert, property);
            return insert.executeUpdate() == 1;
        }
    }

    /** Writes back what may change (names, description, labels, deprecation) and the new version. */
    public void update(Connection connection, Property property) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE property SET display_name_en = ?, "
                + "display_name_ja = ?, description = ?, labels = ?, updated_at = ?, version = ?, deprecated = ?, "
                + "deprecation_reason = ? WHERE name = ?")) {
            update.setString(1, property.displayName());
            update.setString(2, property.displayNameJa());
            update.setString(3, property.description());
            update.setArray(4, labels(connection, property.labels()));
            update.setTimestamp(5, Timestamp.from(property.updatedAt()));
            update.setInt(6, property.version());
            update.setBoolean(7, property.deprecated());
            update.setString(8, property.deprecationReason());
            update.setString(9, property.name());
            update.executeUpdate();
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, Property property)
            throws SQLException {
        statement.setString(1, property.name());
        statement.setString(2, property.displayName());
        statement.setString(3, property.displayNameJa());
        statement.setString(4, property.description());
        statement.setString(5, property.valueType().wire());
        statement.setString(6, property.canonicalUnit());
        statement.setString(7, property.quantityKind());
        statement.setObject(8, property.minimum());
        statement.setObject(9, property.maximum());
        statement.setArray(10, labels(connection, property.labels()));
        statement.setString(11, property.addedBy());
        statement.setString(12, property.addedByOrg());
        statement.setTimestamp(13, Timestamp.from(property.addedAt()));
        statement.setTimestamp(14, Timestamp.from(property.updatedAt()));
        statement.setInt(15, property.version());
        statement.setBoolean(16, property.deprecated());
        statement.setString(17, property.deprecationReason());
    }

    private static Array labels(Connection connection, List<String> labels) throws SQLException {
        return connection.createArrayOf("text", labels.toArray(String[]::new));
    }

    private static Property read(ResultSet rows) throws SQLException {
        Array labels = rows.getArray(10);
        return new Property(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                Property.ValueType.ofWire(rows.getString(5)), rows.getString(6), rows.getString(7),
                rows.getObject(8, Double.class), rows.getObject(9, Double.class),
                labels == null ? List.of() : Arrays.asList((String[]) labels.getArray()), rows.getString(11),
                rows.getString(12), rows.getTimestamp(13).toInstant(), rows.getTimestamp(14).toInstant(),
                rows.getInt(15), rows.getBoolean(16), rows.getString(17));
    }
}

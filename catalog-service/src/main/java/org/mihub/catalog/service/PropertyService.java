package org.mihub.catalog.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.sql.SqlErrors;

/** The property vocabulary (migrated with the schema), readable by anyone. */
@ApplicationScoped
public class PropertyService {

    @Inject
    DataSource dataSource;

    /** The vocabulary changes only with a schema migration, so it is read once per process. */
    private volatile Map<String, Property> vocabulary;

    /** Every property by name, sorted by name. */
    public Map<String, Property> all() {
        Map<String, Property> cached = vocabulary;
        if (cached == null) {
            cached = Collections.unmodifiableMap(load());
            vocabulary = cached;
        }
        return cached;
    }

    private Map<String, Property> load() {
        Map<String, Property> properties = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT name, display_name, canonical_unit, "
                        + "quantity_kind, description, min_value, max_value FROM property ORDER BY name");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                properties.put(rows.getString(1), new Property(rows.getString(1), rows.getString(2),
                        rows.getString(3), rows.getString(4), rows.getString(5), rows.getObject(6, Double.class),
                        rows.getObject(7, Double.class)));
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
        return properties;
    }

    public List<Property> list(String text) {
        String needle = text == null ? "" : text.toLowerCase(Locale.ROOT);
        List<Property> matching = new ArrayList<>();
        for (Property property : all().values()) {
            if (needle.isEmpty() || (property.name() + " " + property.displayName() + " " + property.description())
                    .toLowerCase(Locale.ROOT).contains(needle)) {
                matching.add(property);
            }
        }
        return matching;
    }
}

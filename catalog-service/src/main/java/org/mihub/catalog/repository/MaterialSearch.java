package org.mihub.catalog.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.mihub.catalog.service.MaterialQuery;

/**
 * Builds the SQL of a material search: the caller's read scope, every criterion as a condition
 * PostgreSQL evaluates (GIN index on elements, index on measurement property and value), the sort
 * with the id as final tie-breaker, and one row more than the page to know whether another follows.
 * Property bounds arrive already converted to canonical units.
 */
public final class MaterialSearch {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    private MaterialSearch() {
    }

    public record Built(String sql, List<Object> parameters) {
    }

    public static Built build(ReadScope scope, MaterialQuery query, List<MaterialQuery.Sort> sort, long offset,
            int limit) {
        MaterialSearch indexed = new MaterialSearch();
        indexed.indexed(query);
        // The indexed criteria are evaluated first, behind an optimisation fence (OFFSET 0): otherwise
        // PostgreSQL, seeing a LIMIT, walks the id index and filters row by row through the table.
        String from = indexed.sql.isEmpty() ? "material m"
                : "(SELECT * FROM material m WHERE TRUE" + indexed.sql + " OFFSET 0) m";
        MaterialSearch search = new MaterialSearch();
        search.sql.append("SELECT ").append(MaterialRepository.COLUMNS).append(" FROM ").append(from)
                .append(" JOIN dataset d ON d.id = m.dataset_id WHERE d.deleted_at IS NULL AND ")
                .append(scope.condition());
        search.parameters.addAll(indexed.parameters);
        search.parameters.addAll(scope.parameters());
        search.where(query);
        search.orderBy(sort);
        search.sql.append(" LIMIT ? OFFSET ?");
        search.parameters.add(limit + 1);
        search.parameters.add(offset);
        return new Built(search.sql.toString(), search.parameters);
    }

    /** Criteria an index answers: element sets (GIN), the reduced formula, property ranges. */
    private void indexed(MaterialQuery query) {
        if (query.elements() != null && !query.elements().isEmpty()) {
            String[] elements = query.elements().toArray(String[]::new);
            switch (query.match() == null ? MaterialQuery.ElementMatch.ALL : query.match()) {
                case ALL -> condition("m.elements @> ?", (Object) elements);
                case ANY -> condition("m.elements && ?", (Object) elements);
                case EXACTLY -> condition("m.elements @> ? AND m.elements <@ ?", elements, elements);
                case ONLY -> {
                    // no index answers "contained in"; checked in the outer query
                }
            }
        }
        if (query.formula() != null) {
            condition("m.reduced_formula = ?", query.formula());
        }
        for (MaterialQuery.PropertyRange range : query.properties()) {
            StringBuilder in = new StringBuilder(
                    "m.id IN (SELECT x.material_id FROM measurement x WHERE x.property = ?");
            List<Object> values = new ArrayList<>(List.of(range.property()));
            if (range.min() != null) {
                in.append(" AND x.value >= ?");
                values.add(range.min());
            }
            if (range.max() != null) {
                in.append(" AND x.value <= ?");
                values.add(range.max());
            }
            condition(in.append(")").toString(), values.toArray());
        }
    }

    /** The other criteria, applied to the (possibly pre-filtered) materials. */
    private void where(MaterialQuery query) {
        if (query.elements() != null && !query.elements().isEmpty()
                && query.match() == MaterialQuery.ElementMatch.ONLY) {
            condition("m.elements <@ ?", (Object) query.elements().toArray(String[]::new));
        }
        if (query.minElements() != null) {
            condition("m.nelements >= ?", query.minElements());
        }
        if (query.maxElements() != null) {
            condition("m.nelements <= ?", query.maxElements());
        }
        if (!query.datasetIds().isEmpty()) {
            condition("m.dataset_id = ANY(?)", (Object) query.datasetIds().toArray(UUID[]::new));
        }
        if (!query.ownerOrgs().isEmpty()) {
            condition("d.owner_org = ANY(?)", (Object) query.ownerOrgs().toArray(String[]::new));
        }
        if (!query.sources().isEmpty()) {
            condition("EXISTS (SELECT 1 FROM measurement x WHERE x.material_id = m.id AND x.source = ANY(?))",
                    (Object) query.sources().toArray(String[]::new));
        }
        if (query.text() != null && !query.text().isBlank()) {
            String pattern = "%" + query.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            condition("(m.formula ILIKE ? OR m.reduced_formula ILIKE ? OR array_to_string(m.tags, ' ') ILIKE ? "
                    + "OR d.title ILIKE ? OR m.process_steps::text ILIKE ?)", pattern, pattern, pattern, pattern,
                    pattern);
        }
    }

    private void orderBy(List<MaterialQuery.Sort> sort) {
        List<String> keys = new ArrayList<>();
        for (MaterialQuery.Sort key : sort) {
            String direction = key.descending() ? " DESC" : " ASC";
            switch (key.field()) {
                case ID -> keys.add("m.id" + direction);
                case REDUCED_FORMULA -> keys.add("m.reduced_formula" + direction);
                case NELEMENTS -> keys.add("m.nelements" + direction);
                case CREATED_AT -> keys.add("m.created_at" + direction);
                case PROPERTY -> {
                    keys.add("(SELECT " + (key.descending() ? "max" : "min") + "(x.value) FROM measurement x "
                            + "WHERE x.material_id = m.id AND x.property = ?)" + direction + " NULLS LAST");
                    parameters.add(key.property());
                }
            }
        }
        keys.add("m.id");
        sql.append(" ORDER BY ").append(String.join(", ", keys));
    }

    private void condition(String condition, Object... values) {
        sql.append(" AND ").append(condition);
        parameters.addAll(List.of(values));
    }
}

package org.mihub.catalog.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.mihub.catalog.service.MaterialQuery;

/**
 * Builds the first step of a material search: the ids of one page, in order, with one id more than
 * the page to know whether another follows. The second step ({@link MaterialRepository#byIds})
 * reads just those materials. The caller's read scope arrives as the ids of the datasets the caller
 * may see (already narrowed by the dataset and owner filters), so no row is joined to decide
 * visibility. Property bounds arrive already converted to canonical units.
 *
 * <p>Two shapes:
 * <ul>
 * <li>Property ranges alone, in id order: answered from the measurement index (property, value)
 * with material and dataset included, without reading a material row.</li>
 * <li>Everything else: the indexed criteria (GIN on elements, reduced formula, property ranges)
 * first, behind an optimisation fence (OFFSET 0) so that PostgreSQL does not walk the id index
 * filtering row by row; then the other criteria and the sort.</li>
 * </ul>
 */
public final class MaterialSearch {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    private MaterialSearch() {
    }

    public record Built(String sql, List<Object> parameters) {
    }

    public static Built build(List<UUID> datasets, MaterialQuery query, List<MaterialQuery.Sort> sort, long offset,
            int limit) {
        UUID[] visible = datasets.toArray(UUID[]::new);
        MaterialSearch search = new MaterialSearch();
        if (rangesOnly(query) && byIdOnly(sort)) {
            search.fromMeasurements(visible, query.properties(), sort.isEmpty() || !sort.get(0).descending());
        } else {
            search.fromMaterials(visible, query, sort);
        }
        search.sql.append(" LIMIT ? OFFSET ?");
        search.parameters.add(limit + 1);
        search.parameters.add(offset);
        return new Built(search.sql.toString(), search.parameters);
    }

    private static boolean rangesOnly(MaterialQuery query) {
        return !query.properties().isEmpty() && (query.elements() == null || query.elements().isEmpty())
                && query.formula() == null && query.minElements() == null && query.maxElements() == null
                && query.sources().isEmpty() && (query.text() == null || query.text().isBlank());
    }

    private static boolean byIdOnly(List<MaterialQuery.Sort> sort) {
        return sort.isEmpty() || sort.size() == 1 && sort.get(0).field() == MaterialQuery.SortField.ID;
    }

    /** Materials with a measurement in every range: an intersection of index-only scans. */
    private void fromMeasurements(UUID[] visible, List<MaterialQuery.PropertyRange> ranges, boolean ascending) {
        sql.append("SELECT material_id FROM (");
        for (int i = 0; i < ranges.size(); i++) {
            if (i > 0) {
                sql.append(" INTERSECT ");
            }
            sql.append("SELECT x.material_id FROM measurement x WHERE x.dataset_id = ANY(?)");
            parameters.add(visible);
            range(ranges.get(i));
        }
        sql.append(ranges.size() == 1 ? " GROUP BY x.material_id" : "")
                .append(") hits ORDER BY material_id").append(ascending ? "" : " DESC");
    }

    private void range(MaterialQuery.PropertyRange range) {
        condition("x.property = ?", range.property());
        if (!range.codes().isEmpty()) {
            condition("x.value = ANY(?)", (Object) range.codes().toArray(Double[]::new));
        } else if (!range.labels().isEmpty()) {
            condition("x.label = ANY(?)", (Object) range.labels().toArray(String[]::new));
        }
        if (range.min() != null) {
            condition("x.value >= ?", range.min());
        }
        if (range.max() != null) {
            condition("x.value <= ?", range.max());
        }
    }

    private void fromMaterials(UUID[] visible, MaterialQuery query, List<MaterialQuery.Sort> sort) {
        MaterialSearch indexed = new MaterialSearch();
        indexed.indexed(query);
        boolean joinDataset = query.text() != null && !query.text().isBlank();
        sql.append("SELECT m.id FROM ");
        if (indexed.sql.isEmpty()) {
            sql.append("material m");
        } else {
            sql.append("(SELECT * FROM material m WHERE TRUE").append(indexed.sql).append(" OFFSET 0) m");
            parameters.addAll(indexed.parameters);
        }
        if (joinDataset) {
            sql.append(" JOIN dataset d ON d.id = m.dataset_id");
        }
        sql.append(" WHERE m.dataset_id = ANY(?)");
        parameters.add(visible);
        where(query);
        orderBy(sort);
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
            sql.append(" AND m.id IN (SELECT x.material_id FROM measurement x WHERE TRUE");
            range(range);
            sql.append(")");
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

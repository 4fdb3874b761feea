package org.mihub.catalog.service;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.DatasetSql;
import org.mihub.catalog.repository.MaterialRepository;
import org.mihub.catalog.repository.MaterialSearch;
import org.mihub.common.access.AccessRule;
import org.mihub.common.access.SqlCondition;
import org.mihub.common.sql.SqlErrors;
import org.mihub.common.units.Units;
import org.mihub.common.chemistry.Elements;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.common.identity.Caller;

/**
 * Material search and reads, within what the caller may see. Property bounds in any compatible
 * unit are converted to the canonical unit before PostgreSQL compares them. Results from other
 * organisations' datasets are written to the owners' access logs.
 */
@ApplicationScoped
public class MaterialService {

    private static final int MAX_PAGE = 500;
    private static final String PAGE_PREFIX = "o:";

    @Inject
    MaterialRepository materials;

    @Inject
    PropertyService properties;

    @Inject
    DatasetService datasets;

    @Inject
    DatasetSql datasetSql;

    public record Page(List<Material> materials, String nextCursor) {
    }

    /**
     * A categorical, boolean or text property's filter: its labels (booleans also as yes/no, 1/0), as the
     * codes the (property, value) index holds for categories and booleans, as labels for text.
     */
    private static void labelled(int i, MaterialQuery.PropertyRange range, Property property,
            List<FieldViolation> violations, List<MaterialQuery.PropertyRange> ranges) {
        String at = "properties[" + i + "]";
        if (range.min() != null || range.max() != null || (range.unit() != null && !range.unit().isBlank())) {
            violations.add(new FieldViolation(at + (range.unit() != null && !range.unit().isBlank() ? ".unit"
                    : range.min() != null ? ".min" : ".max"), "'" + property.name() + "' is " + property.summary()
                    + ": give labels (REST value= or in=), not a range or a unit"));
            return;
        }
        List<String> labels = new ArrayList<>();
        List<Double> codes = new ArrayList<>();
        for (int j = 0; j < range.labels().size(); j++) {
            String label = range.labels().get(j).strip();
            switch (property.valueType()) {
                case BOOLEAN -> {
                    switch (label.toLowerCase(java.util.Locale.ROOT)) {
                        case "true", "yes", "1" -> codes.add(1.0);
                        case "false", "no", "0" -> codes.add(0.0);
                        default -> violations.add(new FieldViolation(at + ".labels[" + j + "]", "'" + label
                                + "' is not true or false"));
                    }
                }
                case CATEGORICAL -> {
                    int code = property.labelCode(label);
                    if (code < 0) {
                        violations.add(new FieldViolation(at + ".labels[" + j + "]", "'" + label + "' is not a label "
                                + "of '" + property.name() + "' " + property.labels()));
                    } else {
                        codes.add((double) code);
                    }
                }
                default -> labels.add(label);
            }
        }
        ranges.add(new MaterialQuery.PropertyRange(property.name(), null, null, "", labels, codes));
    }

    public Page search(Optional<Caller> caller, MaterialQuery query, List<MaterialQuery.Sort> sort, String cursor,
            int pageSize) {
        Map<String, Property> vocabulary = properties.all();
        MaterialQuery canonical = validate(query, sort, vocabulary);
        if (pageSize < 0) {
            throw ApiException.invalid("page.page_size", "must not be negative (0 asks for the default, 50)");
        }
        int limit = pageSize == 0 ? 50 : Math.min(pageSize, MAX_PAGE);
        long offset = offset(cursor);
        SqlCondition readable = AccessRule.readCondition(caller, DatasetSql.SHARING);
        List<UUID> scope = SqlErrors.call(() -> datasetSql.visibleIds(readable, canonical.datasetIds(),
                canonical.ownerOrgs()));
        if (scope.isEmpty()) {
            return new Page(List.of(), null);
        }
        var built = MaterialSearch.build(scope, canonical, sort, offset, limit);
        List<UUID> ids = SqlErrors.call(() -> materials.ids(built.sql(), built.parameters()));
        List<UUID> pageIds = ids.size() > limit ? ids.subList(0, limit) : ids;
        List<Material> page = SqlErrors.call(() -> materials.byIds(pageIds));
        logCrossOrgReads(caller, page, "search");
        String next = ids.size() > limit ? encode(offset + limit) : null;
        return new Page(page, next);
    }

    /**
     * For each element, how many materials the caller may see contain it (the read rule of a search:
     * datasets the caller may read, deleted ones left out), by symbol; elements no visible material
     * contains are left out. A count reveals no record, so it is not written to the access logs.
     */
    public Map<String, Long> elementCounts(Optional<Caller> caller) {
        SqlCondition readable = AccessRule.readCondition(caller, DatasetSql.SHARING);
        List<UUID> scope = SqlErrors.call(() -> datasetSql.visibleIds(readable, List.of(), List.of()));
        if (scope.isEmpty()) {
            return Map.of();
        }
        return SqlErrors.call(() -> materials.elementCounts(scope));
    }

    /** One material; NOT_FOUND when it does not exist or its dataset is hidden from the caller. */
    public Material get(Optional<Caller> caller, UUID id) {
        SqlCondition readable = AccessRule.readCondition(caller, DatasetSql.SHARING);
        var built = new MaterialSearch.Built("SELECT " + MaterialRepository.COLUMNS + " FROM material m "
                + "JOIN dataset d ON d.id = m.dataset_id WHERE d.deleted_at IS NULL AND m.id = ? AND "
                + readable.sql(), concat(List.of(id), readable.parameters()));
        List<Material> found = SqlErrors.call(() -> materials.search(built.sql(), built.parameters()));
        if (found.isEmpty()) {
            throw ApiException.notFound("material", id.toString());
        }
        logCrossOrgReads(caller, found, "get");
        return found.get(0);
    }

    void logCrossOrgReads(Optional<Caller> caller, List<Material> page, String operation) {
        if (caller.isEmpty()) {
            return;
        }
        Map<UUID, long[]> perDataset = new LinkedHashMap<>();
        Map<UUID, String> owners = new LinkedHashMap<>();
        for (Material material : page) {
            if (!material.ownerOrg().equals(caller.get().org())) {
                perDataset.computeIfAbsent(material.datasetId(), key -> new long[1])[0]++;
                owners.put(material.datasetId(), material.ownerOrg());
            }
        }
        perDataset.forEach((dataset, count) -> datasets.logAccess(caller.get(), dataset, owners.get(dataset),
                operation, count[0]));
    }

    private static MaterialQuery validate(MaterialQuery query, List<MaterialQuery.Sort> sort,
            Map<String, Property> vocabulary) {
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < query.elements().size(); i++) {
            if (Elements.find(query.elements().get(i)).isEmpty()) {
                violations.add(new FieldViolation("elements[" + i + "]",
                        "unknown element '" + query.elements().get(i) + "'"));
            }
        }
        if (query.minElements() != null && query.maxElements() != null
                && query.minElements() > query.maxElements()) {
            violations.add(new FieldViolation("nelements", "minimum above maximum"));
        }
        String reduced = null;
        if (query.formula() != null && !query.formula().isBlank()) {
            try {
                reduced = FormulaParser.parse(query.formula()).reducedFormula();
            } catch (FormulaException e) {
                violations.add(new FieldViolation("formula", e.getMessage()));
            }
        }
        List<MaterialQuery.PropertyRange> ranges = new ArrayList<>();
        for (int i = 0; i < query.properties().size(); i++) {
            MaterialQuery.PropertyRange range = query.properties().get(i);
            Property property = vocabulary.get(range.property());
            if (property == null) {
                violations.add(new FieldViolation("properties[" + i + "].property",
                        "'" + range.property() + "' is not in the property vocabulary"));
                continue;
            }
            if (!property.numeric()) {
                labelled(i, range, property, violations, ranges);
                continue;
            }
            if (!range.labels().isEmpty()) {
                violations.add(new FieldViolation("properties[" + i + "].labels", "'" + property.name() + "' is "
                        + property.summary() + ": give min and max, not labels"));
                continue;
            }
            String unit = range.unit() == null || range.unit().isBlank() ? property.canonicalUnit() : range.unit();
            try {
                var converter = Units.converter(unit, property.canonicalUnit());
                ranges.add(new MaterialQuery.PropertyRange(property.name(),
                        range.min() == null ? null : converter.convert(range.min().doubleValue()),
                        range.max() == null ? null : converter.convert(range.max().doubleValue()),
                        property.canonicalUnit()));
            } catch (Units.UnitException e) {
                violations.add(new FieldViolation("properties[" + i + "].unit", e.getMessage()));
            }
        }
        for (int i = 0; i < sort.size(); i++) {
            if (sort.get(i).field() == MaterialQuery.SortField.PROPERTY
                    && !vocabulary.containsKey(sort.get(i).property())) {
                violations.add(new FieldViolation("sort[" + i + "].property",
                        "'" + sort.get(i).property() + "' is not in the property vocabulary"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT,
                    violations.get(0).field() + ": " + violations.get(0).reason(), violations);
        }
        return new MaterialQuery(query.elements(), query.match(), query.minElements(), query.maxElements(), reduced,
                ranges, query.datasetIds(), query.ownerOrgs(), query.sources(), query.text());
    }

    private static long offset(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(PAGE_PREFIX)) {
                return Long.parseLong(raw.substring(PAGE_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ApiException.invalid("page_token", "not a page token of this search");
    }

    private static String encode(long offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PAGE_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Object> concat(List<Object> first, List<Object> second) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}

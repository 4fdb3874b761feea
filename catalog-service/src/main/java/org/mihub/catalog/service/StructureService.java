package org.mihub.catalog.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.optimade.Filter;
import org.mihub.catalog.optimade.FilterParser;
import org.mihub.catalog.repository.DatasetSql;
import org.mihub.catalog.repository.MaterialRepository;
import org.mihub.catalog.repository.StructureFields;
import org.mihub.catalog.repository.StructureSearch;
import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;

/**
 * OPTIMADE structures queries: the filter is parsed, translated into SQL over the datasets the
 * caller may see, and run by PostgreSQL, with the count of all matches. Reads of other
 * organisations' materials are logged as for any search.
 */
@ApplicationScoped
public class StructureService {

    static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 500;

    @Inject
    MaterialRepository materials;

    @Inject
    DatasetSql datasetSql;

    @Inject
    PropertyService properties;

    @Inject
    MaterialService materialService;

    public record Page(List<Material> materials, long dataReturned, long dataAvailable, boolean more,
            List<String> warnings) {
    }

    public Page query(Optional<Caller> caller, String filter, List<StructureSearch.SortKey> sort, int limit,
            long offset) {
        if (limit < 0 || limit > MAX_PAGE) {
            throw ApiException.invalid("limit", "a page holds 1 to " + MAX_PAGE + " entries");
        }
        if (offset < 0) {
            throw ApiException.invalid("offset", "an offset is 0 or more");
        }
        Optional<Filter> parsed = FilterParser.parse(filter == null ? "" : filter);
        StructureFields fields = new StructureFields(properties.all().keySet());
        List<UUID> scope = SqlErrors.call(() -> datasetSql.visibleIds(
                AccessRule.readCondition(caller, DatasetSql.SHARING), List.of(), List.of()));
        int size = limit == 0 ? DEFAULT_PAGE : limit;
        var built = StructureSearch.build(scope, parsed, sort, fields, offset, size);
        List<UUID> ids = SqlErrors.call(() -> materials.ids(built.pageSql(), built.pageParameters()));
        long returned = SqlErrors.call(() -> materials.count(built.countSql(), built.countParameters()));
        // every material the caller may see: the visible datasets' row counts (materials are never deleted)
        long available = parsed.isEmpty() ? returned : SqlErrors.call(() -> materials.count(
                "SELECT coalesce(sum(row_count), 0) FROM dataset WHERE id = ANY(?)",
                List.of((Object) scope.toArray(UUID[]::new))));
        List<UUID> pageIds = ids.size() > size ? ids.subList(0, size) : ids;
        List<Material> page = SqlErrors.call(() -> materials.byIds(pageIds));
        materialService.logCrossOrgReads(caller, page, "search");
        return new Page(page, returned, available, ids.size() > size, built.warnings());
    }

    /** The properties, standard ones first (with those not held), then the vocabulary's as {@code _mihub_<name>}. */
    public List<StructureFields.Field> fields() {
        Map<String, String> vocabulary = new LinkedHashMap<>();
        properties.all().values().forEach(property -> vocabulary.put(property.name(), property.canonicalUnit()));
        return StructureFields.all(vocabulary);
    }
}

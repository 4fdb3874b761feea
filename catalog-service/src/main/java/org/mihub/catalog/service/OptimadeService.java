package org.mihub.catalog.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.optimade.Filter;
import org.mihub.catalog.optimade.FilterParser;
import org.mihub.catalog.repository.DatasetSql;
import org.mihub.catalog.repository.EntryFields;
import org.mihub.catalog.repository.EntrySearch;
import org.mihub.catalog.repository.MaterialRepository;
import org.mihub.catalog.repository.ReferenceFields;
import org.mihub.catalog.repository.StructureFields;
import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;

/**
 * OPTIMADE queries of structures (materials) and references (datasets): the filter is parsed,
 * translated into SQL over the datasets the caller may see, and run by PostgreSQL, with the count of
 * all matches. Reads of other organisations' materials are logged as for any search.
 */
@ApplicationScoped
public class OptimadeService {

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

    public record References(List<Dataset> datasets, long dataReturned, long dataAvailable, boolean more,
            List<String> warnings) {
    }

    public Page query(Optional<Caller> caller, String filter, List<EntrySearch.SortKey> sort, int limit,
            long offset) {
        Optional<Filter> parsed = parse(filter, limit, offset);
        List<UUID> scope = visible(caller);
        int size = size(limit);
        var built = EntrySearch.build(scope, parsed, sort, new StructureFields(properties.all()), offset,
                size);
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

    /** The visible datasets as references: the same filter language over {@link ReferenceFields}. */
    public References references(Optional<Caller> caller, String filter, List<EntrySearch.SortKey> sort, int limit,
            long offset) {
        Optional<Filter> parsed = parse(filter, limit, offset);
        List<UUID> scope = visible(caller);
        int size = size(limit);
        var built = EntrySearch.build(scope, parsed, sort, new ReferenceFields(), offset, size);
        List<UUID> ids = SqlErrors.call(() -> materials.ids(built.pageSql(), built.pageParameters()));
        long returned = SqlErrors.call(() -> materials.count(built.countSql(), built.countParameters()));
        List<UUID> pageIds = ids.size() > size ? ids.subList(0, size) : ids;
        Map<UUID, Dataset> found = new LinkedHashMap<>();
        if (!pageIds.isEmpty()) {
            SqlErrors.call(() -> datasetSql.list(AccessRule.readCondition(caller, DatasetSql.SHARING),
                    new DatasetSql.ListFilter(null, null, null, pageIds), null, pageIds.size())).datasets()
                    .forEach(dataset -> found.put(dataset.id(), dataset));
        }
        List<Dataset> page = pageIds.stream().map(found::get).filter(Objects::nonNull).toList();
        return new References(page, returned, scope.size(), ids.size() > size, built.warnings());
    }

    private static Optional<Filter> parse(String filter, int limit, long offset) {
        if (limit < 0 || limit > MAX_PAGE) {
            throw ApiException.invalid("limit", "a page holds 1 to " + MAX_PAGE + " entries");
        }
        if (offset < 0) {
            throw ApiException.invalid("offset", "an offset is 0 or more");
        }
        return FilterParser.parse(filter == null ? "" : filter);
    }

    private static int size(int limit) {
        return limit == 0 ? DEFAULT_PAGE : limit;
    }

    private List<UUID> visible(Optional<Caller> caller) {
        return SqlErrors.call(() -> datasetSql.visibleIds(AccessRule.readCondition(caller, DatasetSql.SHARING),
                List.of(), List.of()));
    }

    /**
     * The properties of an entry type: for structures the standard ones first (with those not held),
     * then the vocabulary's as {@code _mihub_<name>}.
     */
    public List<EntryFields.Field> fields(String entryType) {
        if (entryType.equals("references")) {
            return ReferenceFields.all();
        }
        if (!entryType.isEmpty() && !entryType.equals("structures")) {
            throw ApiException.invalid("entry_type", "'" + entryType + "' is not an entry type of this database: "
                    + "structures or references");
        }
        return StructureFields.all(properties.all());
    }
}

package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.AccessLogRepository;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;

/**
 * Who read an organisation's data: the access log, readable by members of the owner organisation
 * (and admins), and the usage summary between members built from it.
 */
@ApplicationScoped
public class UsageService {

    private static final int MAX_PAGE = 500;

    @Inject
    AccessLogRepository accessLog;

    @Inject
    DatasetService datasets;

    public record Page(List<Usage.Entry> entries, String nextCursor) {
    }

    public Page accessLog(Caller caller, UUID datasetId, String readerOrg, Instant since, Instant until,
            String cursor, int pageSize) {
        String ownerFilter = caller.hasRole(Caller.ADMIN) ? null : caller.org();
        if (datasetId != null) {
            Dataset dataset = datasets.visible(Optional.of(caller), datasetId);
            if (!caller.hasRole(Caller.ADMIN) && !dataset.ownerOrg().equals(caller.org())) {
                throw ApiException.denied("only members of '" + dataset.ownerOrg() + "' may read its access log");
            }
        }
        int limit = pageSize <= 0 ? 100 : Math.min(pageSize, MAX_PAGE);
        Long before = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("page_token", "not a page token of this log");
            }
        }
        Long beforeId = before;
        List<Usage.Entry> entries = SqlErrors.call(() -> accessLog.list(datasetId, ownerFilter, readerOrg, since,
                until, beforeId, limit + 1));
        if (entries.size() <= limit) {
            return new Page(entries, null);
        }
        return new Page(entries.subList(0, limit), Long.toString(entries.get(limit - 1).id()));
    }

    public Usage.Summary summary(Caller caller, String org, Instant since, Instant until) {
        String of = org == null || org.isEmpty() ? caller.org() : org;
        if (!of.equals(caller.org()) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("only an admin may read another organisation's usage");
        }
        return new Usage.Summary(of, since, until,
                SqlErrors.call(() -> accessLog.aggregate(of, true, since, until)),
                SqlErrors.call(() -> accessLog.aggregate(of, false, since, until)));
    }
}

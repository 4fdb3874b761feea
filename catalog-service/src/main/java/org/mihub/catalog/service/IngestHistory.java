package org.mihub.catalog.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.IngestRepository;
import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;

/**
 * A dataset's ingest history (what each ingest wrote and, in skip-invalid mode, what it skipped and
 * why), for the members of the owner organisation: the reasons name the owner's rejected rows, which
 * never became visible data.
 */
@ApplicationScoped
public class IngestHistory {

    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    @Inject
    DatasetService datasets;

    @Inject
    IngestRepository ingests;

    public record Page(List<Ingest> ingests, String nextPageToken) {
    }

    /** NOT_FOUND when the caller may not see the dataset, PERMISSION_DENIED outside the owner organisation. */
    public Page list(Caller caller, UUID datasetId, String pageToken, int pageSize) {
        Dataset dataset = datasets.visible(Optional.of(caller), datasetId);
        if (!AccessRule.canOperate(caller, dataset.ownerOrg())) {
            throw ApiException.denied("only members of '" + dataset.ownerOrg() + "' see the ingest history of its datasets");
        }
        if (pageSize < 0) {
            throw ApiException.invalid("page.page_size", "must be 0 (the default, " + DEFAULT_PAGE + ") or more");
        }
        int limit = pageSize == 0 ? DEFAULT_PAGE : Math.min(pageSize, MAX_PAGE);
        List<Ingest> found = SqlErrors.call(() -> ingests.list(datasetId, pageToken, limit + 1));
        if (found.size() <= limit) {
            return new Page(found, "");
        }
        List<Ingest> page = found.subList(0, limit);
        return new Page(List.copyOf(page), IngestRepository.tokenAfter(page.get(limit - 1)));
    }
}

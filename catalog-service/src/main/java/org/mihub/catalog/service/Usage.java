package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The access log and the usage accounting built on it. */
public final class Usage {

    private Usage() {
    }

    public record Entry(long id, UUID datasetId, String ownerOrg, String readerSubject, String readerOrg,
            String operation, long records, Instant at, String requestingNode) {
    }

    public record Aggregate(UUID datasetId, String datasetTitle, String ownerOrg, String readerOrg, long accesses,
            long records, Instant first, Instant last) {
    }

    public record Summary(String org, Instant since, Instant until, List<Aggregate> provided,
            List<Aggregate> consumed) {
    }
}

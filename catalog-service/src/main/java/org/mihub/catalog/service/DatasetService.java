package org.mihub.catalog.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.AccessLogRepository;
import org.mihub.catalog.repository.DatasetRepository;
import org.mihub.catalog.repository.DatasetSql;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.common.access.AccessRule;
import org.mihub.common.access.Visibility;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;
import org.mihub.common.sql.Transactions;

/**
 * Datasets and their sharing rules: every operation checked against the caller's org and roles.
 * Single datasets are read and changed through Hibernate ({@link DatasetRepository}, each call in its
 * own JTA transaction); lists go through SQL with the read rule applied there ({@link DatasetSql}).
 */
@ApplicationScoped
public class DatasetService {

    /** SPDX identifier syntax (e.g. "CC-BY-4.0", "MIT") or a "LicenseRef-" identifier. */
    /** Organisations one dataset may be shared with by name; more is a consortium-wide share. */
    static final int MAX_SHARED_WITH = 100;

    private static final Pattern SPDX = Pattern.compile("LicenseRef-[A-Za-z0-9.\\-]+|[A-Za-z0-9][A-Za-z0-9.+\\-]*");
    private static final Pattern ORG = Pattern.compile("[a-z0-9][a-z0-9\\-]{0,62}");
    private static final int MAX_PAGE = 200;

    @Inject
    DataSource dataSource;

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetSql datasetSql;

    @Inject
    AccessLogRepository accessLog;

    @Inject
    CardOutbox cards;

    /** What a caller asks for when creating a dataset or changing its sharing. */
    public record Draft(String ownerOrg, String title, String description, String licence, Visibility visibility,
            List<String> sharedWith, Dataset.Embargo embargo, String citation, String doi) {
    }

    public Dataset create(Caller caller, Draft draft) {
        String owner = draft.ownerOrg() == null || draft.ownerOrg().isEmpty() ? caller.org() : draft.ownerOrg();
        if (!owner.equals(caller.org()) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("only an admin may create a dataset for another organisation");
        }
        if (!AccessRule.canWrite(caller, owner)) {
            throw ApiException.denied("role 'contributor' in organisation '" + owner + "' is required");
        }
        List<FieldViolation> violations = new ArrayList<>();
        if (draft.title() == null || draft.title().isBlank()) {
            violations.add(new FieldViolation("title", "required"));
        } else if (draft.title().length() > 300) {
            violations.add(new FieldViolation("title", "at most 300 characters"));
        }
        if (draft.licence() == null || draft.licence().isBlank()) {
            violations.add(new FieldViolation("licence", "required: an SPDX licence identifier such as CC-BY-4.0"));
        } else if (!SPDX.matcher(draft.licence()).matches()) {
            violations.add(new FieldViolation("licence", "'" + draft.licence() + "' is not an SPDX licence identifier"));
        }
        Visibility visibility = draft.visibility() == null ? Visibility.PRIVATE : draft.visibility();
        validateSharing(visibility, draft.sharedWith(), draft.embargo(), owner, violations);
        fail(violations);
        Instant now = Instant.now();
        Dataset dataset = new Dataset(UUID.randomUUID(), owner, draft.title().trim(), nonNull(draft.description()),
                draft.licence(), visibility, List.copyOf(draft.sharedWith()), draft.embargo(), nonNull(draft.citation()),
                draft.doi() == null || draft.doi().isBlank() ? null : draft.doi(), 1, 0, caller.subject(), now, now);
        return EntityTransactions.requiringNew(() -> {
            Dataset stored = datasets.insert(dataset);
            datasets.audit(dataset.id(), caller.subject(), caller.org(), "create", "{}");
            cardChanged(dataset.id());
            return stored;
        });
    }

    /** The dataset, if the caller may see it; NOT_FOUND otherwise. The read is logged as a "get". */
    public Dataset get(Optional<Caller> caller, UUID id) {
        Dataset dataset = visible(caller, id);
        logRead(caller, dataset, "get", 0);
        return dataset;
    }

    /**
     * The dataset, if the caller may see it; NOT_FOUND otherwise, exactly as if it did not exist.
     * Not logged: for operations that log their own kind of read (export) or read no data.
     */
    public Dataset visible(Optional<Caller> caller, UUID id) {
        return EntityTransactions.requiringNew(() -> datasets.find(id)).filter(found -> AccessRule.canRead(caller, found.sharing()))
                .orElseThrow(() -> ApiException.notFound("dataset", id.toString()));
    }

    public DatasetSql.Page list(Optional<Caller> caller, DatasetSql.ListFilter filter, String cursor,
            int pageSize) {
        if (pageSize < 0) {
            throw ApiException.invalid("page.page_size", "must not be negative (0 asks for the default, 50)");
        }
        int limit = pageSize == 0 ? 50 : Math.min(pageSize, MAX_PAGE);
        return SqlErrors.call(() -> datasetSql.list(AccessRule.readCondition(caller, DatasetSql.SHARING), filter,
                cursor, limit));
    }

    public Dataset updateSharing(Caller caller, UUID id, Visibility visibility, List<String> sharedWith,
            Dataset.Embargo embargo) {
        if (visibility == null) {
            throw ApiException.invalid("visibility", "required: PRIVATE, SHARED, CONSORTIUM or PUBLIC");
        }
        return EntityTransactions.requiringNew(() -> {
            Dataset dataset = visibleForUpdate(caller, id);
            if (!AccessRule.canCurate(caller, dataset.ownerOrg())) {
                throw ApiException.denied("role 'curator' in organisation '" + dataset.ownerOrg() + "' is required");
            }
            List<FieldViolation> violations = new ArrayList<>();
            validateSharing(visibility, sharedWith, embargo, dataset.ownerOrg(), violations);
            fail(violations);
            Dataset updated = datasets.updateSharing(id, visibility, List.copyOf(sharedWith), embargo);
            datasets.audit(id, caller.subject(), caller.org(), "sharing", "{\"visibility\":\"" + visibility + "\"}");
            cardChanged(id);
            return updated;
        });
    }

    public record Deletion(UUID id, Instant deletedAt, String deletedBy) {
    }

    public Deletion delete(Caller caller, UUID id, String reason) {
        return EntityTransactions.requiringNew(() -> {
            Dataset dataset = visibleForUpdate(caller, id);
            if (!AccessRule.canCurate(caller, dataset.ownerOrg())) {
                throw ApiException.denied("role 'curator' in organisation '" + dataset.ownerOrg() + "' is required");
            }
            Instant at = datasets.softDelete(id, caller.subject(), nonNull(reason));
            datasets.audit(id, caller.subject(), caller.org(), "delete", "{}");
            cardChanged(id);
            return new Deletion(id, at, caller.subject());
        });
    }

    /** The dataset's card change to the outbox, in the current JTA transaction (federation on only). */
    private void cardChanged(UUID id) {
        if (cards.enabled()) {
            datasets.onConnection(connection -> cards.changed(connection, id));
        }
    }

    /**
     * Locks the dataset for a change in the current JTA transaction; hidden ones are NOT_FOUND,
     * visible ones without the right are refused later.
     */
    private Dataset visibleForUpdate(Caller caller, UUID id) {
        return datasets.findForUpdate(id).filter(found -> AccessRule.canRead(Optional.of(caller), found.sharing()))
                .orElseThrow(() -> ApiException.notFound("dataset", id.toString()));
    }

    /** Writes a read of another organisation's dataset to the owner's access log. */
    public void logRead(Optional<Caller> caller, Dataset dataset, String operation, long records) {
        if (caller.isPresent() && AccessRule.isCrossOrg(caller, dataset.ownerOrg())) {
            logAccess(caller.get(), dataset.id(), dataset.ownerOrg(), operation, records);
        }
    }

    /**
     * Reads of datasets' records through a derived artifact (e.g. a model's out-of-fold rows),
     * reported by the service that showed them, as the reading caller: every dataset must be
     * visible to the caller (NOT_FOUND otherwise, before anything is written); reads of another
     * organisation's dataset go to its owner's access log as "derived", all or none. A read counts at
     * most the dataset's materials. Returns the entries written.
     */
    public int recordDerivedReads(Caller caller, Map<UUID, Long> records) {
        List<Dataset> read = new ArrayList<>();
        for (UUID id : records.keySet()) {
            Dataset dataset = visible(Optional.of(caller), id);
            // an artifact shows at most every material of the dataset
            if (records.get(id) > Math.max(1, dataset.rowCount())) {
                throw ApiException.invalid("reads", records.get(id) + " records of dataset " + id + ", which holds "
                        + dataset.rowCount());
            }
            read.add(dataset);
        }
        List<Dataset> foreign = read.stream()
                .filter(dataset -> AccessRule.isCrossOrg(Optional.of(caller), dataset.ownerOrg())).toList();
        return inTransaction(connection -> {
            for (Dataset dataset : foreign) {
                accessLog.record(connection, caller.subject(), caller.org(), dataset.id(), dataset.ownerOrg(),
                        "derived", records.get(dataset.id()));
            }
            return foreign.size();
        });
    }

    /** Writes a read of materials of another organisation's dataset to the owner's access log. */
    public void logAccess(Caller caller, UUID datasetId, String ownerOrg, String operation, long records) {
        SqlErrors.call(() -> {
            accessLog.record(caller.subject(), caller.org(), datasetId, ownerOrg, operation, records,
                    org.mihub.catalog.grpc.RequestingNodeInterceptor.current().orElse(null));
            return null;
        });
    }

    private static void validateSharing(Visibility visibility, List<String> sharedWith, Dataset.Embargo embargo,
            String owner, List<FieldViolation> violations) {
        if (sharedWith.size() > MAX_SHARED_WITH) {
            // one violation, not one per name: thousands of invented organisations get a short answer
            violations.add(new FieldViolation("shared_with", "at most " + MAX_SHARED_WITH + " organisations, "
                    + sharedWith.size() + " given"));
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < sharedWith.size(); i++) {
            if (!seen.add(sharedWith.get(i))) {
                violations.add(new FieldViolation("shared_with[" + i + "]", "'" + sharedWith.get(i)
                        + "' is named twice"));
            } else if (!ORG.matcher(sharedWith.get(i)).matches()) {
                violations.add(new FieldViolation("shared_with[" + i + "]",
                        "'" + sharedWith.get(i) + "' is not an organisation id"));
            } else if (sharedWith.get(i).equals(owner)) {
                violations.add(new FieldViolation("shared_with[" + i + "]", "the owner organisation needs no sharing"));
            }
        }
        if (visibility == Visibility.SHARED && sharedWith.isEmpty()
                && (embargo == null || embargo.liftsTo() != Visibility.SHARED)) {
            violations.add(new FieldViolation("shared_with", "SHARED needs at least one organisation"));
        }
        if (embargo != null) {
            if (embargo.until() == null || !embargo.until().isAfter(Instant.now())) {
                violations.add(new FieldViolation("embargo.until", "must be in the future"));
            }
            if (embargo.liftsTo() == null || !embargo.liftsTo().lessRestrictiveThan(visibility)) {
                violations.add(new FieldViolation("embargo.lifts_to",
                        "must be less restrictive than the visibility " + visibility));
            }
        }
    }

    private static void fail(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, violations.get(0).field() + ": "
                    + violations.get(0).reason(), violations);
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /**
     * JDBC work on one connection in one transaction; nothing is written if it throws. Not for use
     * inside {@link EntityTransactions#requiringNew} (that connection would be enlisted in JTA).
     */
    public <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource::getConnection, work);
    }
}

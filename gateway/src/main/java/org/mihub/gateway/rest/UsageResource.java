package org.mihub.gateway.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.api.catalog.v1.GetUsageSummaryRequest;
import org.mihub.api.catalog.v1.ListAccessLogRequest;
import org.mihub.api.catalog.v1.UsageEntry;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.gateway.client.CatalogClient;
import org.mihub.gateway.mapping.CatalogMapper;

import com.google.protobuf.Timestamp;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Who read an organisation's data: the access log of a dataset and the usage summary between members. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "usage")
public class UsageResource {

    @Inject
    CatalogClient catalog;

    public record AccessView(String id, String datasetId, String ownerOrg, String readerSubject, String readerOrg,
            String operation, long records, Instant at) {
    }

    public record AccessPage(List<AccessView> entries, String nextCursor) {
    }

    public record UsageView(String datasetId, String datasetTitle, String ownerOrg, String readerOrg, long accesses,
            long records, Instant firstAccessAt, Instant lastAccessAt) {
    }

    public record UsageSummaryView(String org, List<UsageView> provided, List<UsageView> consumed,
            long providedRecords, long consumedRecords) {
    }

    @GET
    @Path("/datasets/{id}/access-log")
    @Operation(summary = "Reads of a dataset by other organisations, newest first (members of the owner org, admins)")
    public Uni<AccessPage> accessLog(@PathParam("id") String id, @QueryParam("reader") String readerOrg,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("limit") @DefaultValue("100") String limit, @QueryParam("cursor") String cursor) {
        var request = ListAccessLogRequest.newBuilder().setDatasetId(id).setReaderOrg(readerOrg == null ? "" : readerOrg)
                .setPage(PageRequest.newBuilder().setPageSize(QueryParams.integer("limit", limit, 100)).setPageToken(cursor == null ? "" : cursor));
        if (since != null) {
            request.setSince(timestamp("since", since));
        }
        if (until != null) {
            request.setUntil(timestamp("until", until));
        }
        return catalog.accessLog(request.build()).map(page -> new AccessPage(page.getEntriesList().stream()
                .map(entry -> new AccessView(entry.getId(), entry.getDatasetId(), entry.getOwnerOrg(),
                        entry.getReader().getSubject(), entry.getReader().getOrg(),
                        entry.getOperation().name().replace("ACCESS_OPERATION_", "").toLowerCase(java.util.Locale.ROOT),
                        entry.getRecordCount(), CatalogMapper.instant(entry.getOccurredAt())))
                .toList(), page.getPageInfo().getNextPageToken().isEmpty() ? null
                        : page.getPageInfo().getNextPageToken()));
    }

    @GET
    @Path("/usage")
    @Operation(summary = "Usage summary of an organisation: its data read by others, and others' data it read")
    public Uni<UsageSummaryView> usage(@QueryParam("org") String org, @QueryParam("since") String since,
            @QueryParam("until") String until) {
        var request = GetUsageSummaryRequest.newBuilder().setOrg(org == null ? "" : org);
        if (since != null) {
            request.setSince(timestamp("since", since));
        }
        if (until != null) {
            request.setUntil(timestamp("until", until));
        }
        return catalog.usage(request.build()).map(summary -> new UsageSummaryView(summary.getOrg(),
                summary.getProvidedList().stream().map(UsageResource::view).toList(),
                summary.getConsumedList().stream().map(UsageResource::view).toList(),
                summary.getProvidedRecordCount(), summary.getConsumedRecordCount()));
    }

    private static UsageView view(UsageEntry entry) {
        return new UsageView(entry.getDatasetId(), entry.getDatasetTitle(), entry.getOwnerOrg(), entry.getReaderOrg(),
                entry.getAccessCount(), entry.getRecordCount(), CatalogMapper.instant(entry.getFirstAccessAt()),
                CatalogMapper.instant(entry.getLastAccessAt()));
    }

    private static Timestamp timestamp(String field, String text) {
        try {
            Instant instant = Instant.parse(text);
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
        } catch (DateTimeParseException e) {
            throw CatalogMapper.invalid(field, "'" + text + "' is not an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}

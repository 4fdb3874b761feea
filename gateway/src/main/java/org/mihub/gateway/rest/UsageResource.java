package org.mihub.gateway.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.client.CatalogClient;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.UsageViews;
import org.mihub.gateway.view.UsageViews.AccessPage;
import org.mihub.gateway.view.UsageViews.UsageSummaryView;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Who read an organisation's data: the access log of a dataset and the usage summary between members. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "usage", description = "Reads of an organisation's data by others: the access log and usage")
public class UsageResource {

    @Inject
    CatalogClient catalog;

    @GET
    @Path("/datasets/{id}/access-log")
    @Operation(operationId = "getAccessLog", summary = "Reads of a dataset by other organisations, newest first (members of the owner org, admins)")
    public Uni<AccessPage> accessLog(@PathParam("id") String id, @QueryParam("reader") String readerOrg,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("limit") @DefaultValue("100")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "100")) String limit, @QueryParam("cursor") String cursor) {
        int size = QueryParams.limit(limit, 100);
        return catalog.accessLog(id, readerOrg, instant("since", since), instant("until", until), size, cursor);
    }

    @GET
    @Path("/datasets/{id}/ingests")
    @Operation(operationId = "listIngests", summary = "A dataset's ingests, newest first: what each wrote and, in "
            + "skip-invalid mode, which rows it skipped and why (members of the owner org, admins)")
    public Uni<UsageViews.IngestHistoryPage> ingests(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("20")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20"))
            String limit, @QueryParam("cursor") String cursor) {
        return catalog.ingests(id, QueryParams.limit(limit, 20), cursor);
    }

    @GET
    @Path("/usage")
    @Operation(operationId = "getUsage", summary = "Usage summary of an organisation: its data read by others, and others' data it read")
    public Uni<UsageSummaryView> usage(@QueryParam("org") String org, @QueryParam("since") String since,
            @QueryParam("until") String until) {
        return catalog.usage(org, instant("since", since), instant("until", until));
    }

    /** An ISO-8601 instant, or null when the parameter is absent. */
    private static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInput(field, "'" + text + "' is not an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}

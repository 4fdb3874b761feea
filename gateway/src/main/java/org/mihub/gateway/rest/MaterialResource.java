package org.mihub.gateway.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.client.CatalogClient;
import org.mihub.gateway.client.FederatedSearch;
import org.mihub.gateway.view.MaterialViews;
import org.mihub.gateway.view.MaterialViews.MaterialPage;
import org.mihub.gateway.view.MaterialViews.MaterialSearch;

import io.smallrye.mutiny.Uni;

/** Material search and reads through the catalog; anonymous callers see PUBLIC data only. */
@Path("/api/v1/materials")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "materials", description = "Search of the catalog's materials and their measurements")
public class MaterialResource {

    @Inject
    CatalogClient catalog;

    @Inject
    FederatedSearch federated;

    @Context
    UriInfo uri;

    @GET
    @Operation(operationId = "searchMaterials", summary = "Search the materials the caller may see",
            description = "Example: /api/v1/materials?elements=Fe,O&match=only&nelements=2-3"
                    + "&property=band_gap&min=1000&max=3000&unit=meV&sort=-band_gap&limit=20. With scope=federation "
                    + "every node of the federation is searched live with the caller's token and the pages merged in "
                    + "the same order (sort by created_at is refused there); nextCursor is then a composite cursor.")
    public Uni<MaterialPage> search(
            @Parameter(description = "Element symbols, comma-separated") @QueryParam("elements") String elements,
            @Parameter(description = "all (default), any, only or exactly", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"all", "any", "only", "exactly"}, defaultValue = "all")) @QueryParam("match") String match,
            @Parameter(description = "An element count or range: 2, 2-3, 2-, -3") @QueryParam("nelements")
            String nelements,
            @Parameter(description = "Matches the same reduced formula (Fe4O6 finds Fe2O3)") @QueryParam("formula")
            String formula,
            @QueryParam("property") String property, @QueryParam("min")
            @Parameter(schema = @Schema(type = SchemaType.NUMBER)) String min,
            @QueryParam("max") @Parameter(schema = @Schema(type = SchemaType.NUMBER)) String max,
            @Parameter(description = "Unit of min and max (UCUM), default the property's canonical unit")
            @QueryParam("unit") String unit,
            @Parameter(description = "The label of a categorical, boolean or text property: property=is_metal"
                    + "&value=true") @QueryParam("value") String value,
            @Parameter(description = "Any of these labels, comma-separated: property=phase&in=fcc,bcc")
            @QueryParam("in") String in,
            @QueryParam("dataset") List<String> datasets, @QueryParam("owner") List<String> owners,
            @Parameter(description = "experiment, simulation or prediction") @QueryParam("source")
            List<String> sources,
            @QueryParam("q") String text,
            @Parameter(description = "Comma-separated keys, '-' for descending: nelements, formula, created_at, "
                    + "or a property name") @QueryParam("sort") String sort,
            @QueryParam("limit") @DefaultValue("50")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "50")) String limit,
            @QueryParam("cursor") String cursor,
            @Parameter(description = "summary (default) or full (with process steps)", schema = @Schema(
                    type = SchemaType.STRING, enumeration = {"summary", "full"}, defaultValue = "summary")) @QueryParam("view")
            String view,
            @Parameter(description = QueryParams.SCOPE, schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"local", "federation"}, defaultValue = "local")) @QueryParam("scope") String scope) {
        boolean federation = QueryParams.federation(scope);
        var search = new MaterialSearch(elements, match, nelements, formula, property,
                QueryParams.number("min", min), QueryParams.number("max", max), unit, datasets, owners, sources, text,
                sort, QueryParams.limit(limit, 50), cursor, "full".equalsIgnoreCase(view), labels(value, in));
        if (federation) {
            Map<String, List<String>> query = new LinkedHashMap<>();
            uri.getQueryParameters().forEach(query::put);
            return federated.materials(search, query);
        }
        return catalog.search(search);
    }

    /** The labels of {@code value=} (one) and {@code in=} (comma-separated); both at once are refused. */
    private static List<String> labels(String value, String in) {
        if (value != null && in != null) {
            throw new org.mihub.gateway.error.InvalidInput("in", "give value= or in=, not both");
        }
        if (value != null) {
            return List.of(value);
        }
        return in == null ? List.of() : java.util.Arrays.stream(in.split(",")).map(String::strip)
                .filter(label -> !label.isEmpty()).toList();
    }

    @GET
    @Path("/element-counts")
    @Operation(operationId = "countMaterialsByElement",
            summary = "For each element, how many materials the caller may see contain it",
            description = "The same read rule as a search: anonymous callers count PUBLIC data. An element no "
                    + "visible material contains is left out. Example answer: {\"counts\": {\"Fe\": 12, \"O\": 9}}")
    public Uni<MaterialViews.ElementCountsView> elementCounts() {
        return catalog.elementCounts();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getMaterial", summary = "A material with its process history and measurements; 404 when hidden or missing")
    public Uni<MaterialViews.MaterialView> get(@PathParam("id") String id) {
        return catalog.material(id);
    }
}

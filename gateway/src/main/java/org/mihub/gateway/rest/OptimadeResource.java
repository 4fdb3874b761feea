package org.mihub.gateway.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.common.optimade.ProviderPrefix;
import org.mihub.common.identity.CallerFactory;
import org.mihub.gateway.client.CatalogClient;
import org.mihub.gateway.client.HubDirectory;
import org.mihub.gateway.config.FederationConfig;
import org.mihub.gateway.config.OptimadeConfig;
import org.mihub.gateway.view.FederationViews;
import org.mihub.gateway.view.OptimadeViews.Entry;
import org.mihub.gateway.view.OptimadeViews.EntryField;
import org.mihub.gateway.view.OptimadeViews.EntryPage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The OPTIMADE API (specification v1.2) over the catalog: {@code /optimade/versions} and, under the
 * versioned base {@code /optimade/v1}, {@code /info}, {@code /info/structures},
 * {@code /info/references}, {@code /structures}, {@code /structures/{id}}, {@code /references}
 * (the datasets), {@code /references/{id}} and {@code /links}. Filters are parsed and run by
 * the catalog, as the caller: anonymous callers see PUBLIC data, a caller with a token what the
 * catalog lets them see. Refusals are JSON:API error documents.
 */
@Path("/optimade")
@PermitAll
@Tag(name = "optimade", description = "The OPTIMADE materials-database API (see the OPTIMADE specification)")
public class OptimadeResource {

    /** The versioned base URLs served; any other /optimade/v... is answered 553. */
    static final Set<String> VERSIONS = Set.of("v1", "v1.2", "v1.2.0");
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;

    private static final Set<String> LISTING_PARAMETERS = Set.of("filter", "response_format", "email_address",
            "response_fields", "sort", "page_limit", "page_offset", "page_number", "page_cursor", "page_above",
            "page_below", "include", "api_hint");
    private static final Pattern VERSION = Pattern.compile("v[0-9]+(\\.[0-9]+)*");
    private static final Pattern API_HINT = Pattern.compile("v[0-9]+(\\.[0-9]+)?");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String STRUCTURES = "structures";
    private static final String REFERENCES = "references";

    @Inject
    CatalogClient catalog;

    @Inject
    OptimadeMeta meta;

    @Inject
    OptimadeConfig config;

    @Inject
    FederationConfig federation;

    @Inject
    HubDirectory directory;

    @Inject
    SecurityIdentity identity;

    @Context
    UriInfo uri;

    @GET
    @Path("versions")
    @Produces("text/csv")
    @Operation(summary = "The OPTIMADE major versions served, most preferred first")
    public Response versions() {
        return Response.ok("version\n1\n").type("text/csv; header=present").build();
    }

    @GET
    @Path("{version}/info")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "What this OPTIMADE service serves")
    public Response info(@PathParam("version") String version) {
        served(version);
        String base = meta.baseUrl(uri);
        ObjectNode attributes = JSON.objectNode().put("api_version", OptimadeMeta.API_VERSION);
        attributes.putArray("available_api_versions").addObject().put("url", base + "/v1")
                .put("version", OptimadeMeta.API_VERSION);
        attributes.putArray("formats").add("json");
        attributes.putObject("entry_types_by_format").putArray("json").add(STRUCTURES).add(REFERENCES);
        attributes.putArray("available_endpoints").add("info").add("links").add(STRUCTURES).add(REFERENCES);
        attributes.put("is_index", false);
        // Each dataset has its own licence (SPDX id); the dataset listing shows them.
        String origin = base.endsWith("/optimade") ? base.substring(0, base.length() - "/optimade".length()) : base;
        attributes.put("license", origin + "/api/v1/datasets");
        ObjectNode data = JSON.objectNode().put("type", "info").put("id", "/");
        data.set("attributes", attributes);
        return document(data, meta.of(uri, false, 1L, 1L, List.of()));
    }

    @GET
    @Path("{version}/info/structures")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "The structures properties: description, type, unit, whether sortable")
    public Uni<Response> structuresInfo(@PathParam("version") String version) {
        return entryInfo(version, STRUCTURES, "Materials of the catalog, with their crystal structure when known; "
                + "_" + ProviderPrefix.MIHUB + "_<property> fields are measured properties in the property's "
                + "canonical unit.");
    }

    @GET
    @Path("{version}/info/references")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "The references properties: the datasets' title, DOI and citation")
    public Uni<Response> referencesInfo(@PathParam("version") String version) {
        return entryInfo(version, REFERENCES, "The datasets of the catalog, each cited by its title, DOI and "
                + "citation; a structure belongs to the dataset _" + ProviderPrefix.MIHUB + "_dataset_id names.");
    }

    private Uni<Response> entryInfo(String version, String type, String description) {
        served(version);
        return catalog.fields(type).map(fields -> {
            ObjectNode data = JSON.objectNode().put("type", "info").put("id", type).put("description", description);
            ObjectNode properties = data.putObject("properties");
            ArrayNode output = JSON.arrayNode();
            for (EntryField field : fields) {
                if (!field.served()) {
                    continue;
                }
                ObjectNode property = properties.putObject(field.name())
                        .put("description", field.description()).put("type", field.type())
                        .put("sortable", field.sortable());
                if (!field.unit().isEmpty()) {
                    property.put("unit", field.unit());
                }
                if (!field.filterable()) {
                    property.put("x-optimade-queryable", "IS KNOWN, IS UNKNOWN and LENGTH only");
                }
                output.add(field.name());
            }
            data.putArray("formats").add("json");
            data.putObject("output_fields_by_format").set("json", output);
            return document(data, meta.of(uri, false, 1L, 1L, List.of()));
        }).onFailure().transform(OptimadeException::from);
    }

    @GET
    @Path("{version}/structures")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Materials matching an OPTIMADE filter, among those the caller may see",
            description = "Example: /optimade/v1/structures?filter=elements HAS ALL \"Fe\",\"O\" AND nelements=2"
                    + "&sort=-_mihub_band_gap&page_limit=10")
    public Uni<Response> structures(@PathParam("version") String version) {
        return entries(version, STRUCTURES);
    }

    @GET
    @Path("{version}/references")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Datasets matching an OPTIMADE filter, as references, among those the caller may see",
            description = "Example: /optimade/v1/references?filter=doi IS KNOWN&sort=-last_modified")
    public Uni<Response> references(@PathParam("version") String version) {
        return entries(version, REFERENCES);
    }

    private Uni<Response> entries(String version, String type) {
        served(version);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        List<String> warnings = new ArrayList<>();
        parameters(query, warnings);
        int limit = pageLimit(query);
        long offset = pageOffset(query, limit, warnings);
        String filter = one(query, "filter", "");
        String sort = one(query, "sort", "");
        Uni<Set<String>> fields = fields(type, query, warnings);
        return fields.chain(selected -> page(type, filter, sort, limit, offset).map(page -> {
            List<String> all = new ArrayList<>(warnings);
            all.addAll(page.warnings());
            String base = meta.baseUrl(uri) + "/" + version;
            ArrayNode data = JSON.arrayNode();
            page.entries().forEach(entry -> data.add(entry.resource(selected, base + "/" + type + "/" + entry.id())));
            ObjectNode document = JSON.objectNode();
            document.set("data", data);
            document.set("meta", meta.of(uri, page.moreDataAvailable(), page.dataReturned(), page.dataAvailable(),
                    all));
            ObjectNode links = document.putObject("links");
            if (page.moreDataAvailable()) {
                links.put("next", next(base + "/" + type, query, offset + limit));
            } else {
                links.putNull("next");
            }
            return Response.ok(document).type(OptimadeMeta.MEDIA_TYPE).build();
        })).onFailure().transform(OptimadeException::from);
    }

    private Uni<EntryPage> page(String type, String filter, String sort, int limit, long offset) {
        return type.equals(REFERENCES) ? catalog.queryReferences(filter, sort, limit, offset)
                : catalog.queryStructures(filter, sort, limit, offset);
    }

    @GET
    @Path("{version}/structures/{id}")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "One material as a structures entry; 404 when it does not exist or is hidden")
    public Uni<Response> structure(@PathParam("version") String version, @PathParam("id") String id) {
        return entry(version, STRUCTURES, id);
    }

    @GET
    @Path("{version}/references/{id}")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "One dataset as a references entry; 404 when it does not exist or is hidden")
    public Uni<Response> reference(@PathParam("version") String version, @PathParam("id") String id) {
        return entry(version, REFERENCES, id);
    }

    private Uni<Response> entry(String version, String type, String id) {
        served(version);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        responseFormat(query);
        include(query);
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(type, id);
        }
        List<String> warnings = new ArrayList<>();
        Uni<Entry> found = type.equals(REFERENCES) ? catalog.reference(id) : catalog.structure(id);
        return fields(type, query, warnings).chain(selected -> found.map(entry -> {
            String self = meta.baseUrl(uri) + "/" + version + "/" + type + "/" + entry.id();
            return document(entry.resource(selected, self), meta.of(uri, false, 1L, null, warnings));
        })).onFailure().transform(failure -> {
            OptimadeException refusal = OptimadeException.from(failure);
            return refusal.status() == 404 ? notFound(type, id) : refusal;
        });
    }

    @GET
    @Path("{version}/links")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "The OPTIMADE services of the federation: the hub (root) and the regional nodes")
    public Uni<Response> links(@PathParam("version") String version) {
        served(version);
        if (federation.node().isPresent() && federation.hub()) {
            // the hub: each registered node but itself is a child provider
            return directory.nodes(CallerFactory.rawToken(identity).map(token -> "Bearer " + token))
                    .onFailure().recoverWithItem(failure -> directory.known().orElse(List.of()))
                    .map(nodes -> links(nodes.stream().filter(node -> !node.node().equals(federation.node().get()))
                            .filter(node -> node.optimadeUrl() != null).toList(), null));
        }
        if (federation.node().isPresent() && federation.hubUrl().isPresent()) {
            String hub = federation.hubUrl().get();
            return Uni.createFrom().item(links(List.of(), (hub.endsWith("/") ? hub.substring(0, hub.length() - 1)
                    : hub) + "/optimade"));
        }
        return Uni.createFrom().item(links(List.of(), null));
    }

    /** The configured links, the federation's nodes as children, and the hub (when given) as root. */
    private Response links(List<FederationViews.NodeView> children, String hubBaseUrl) {
        ArrayNode data = JSON.arrayNode();
        boolean rootConfigured = hubBaseUrl != null || config.links().values().stream()
                .anyMatch(link -> "root".equals(link.linkType()));
        if (!rootConfigured) {
            var node = config.node();
            data.add(link(node.id(), node.name(), node.description(), meta.baseUrl(uri), node.homepage().orElse(null),
                    "root", "ok"));
        }
        if (hubBaseUrl != null) {
            data.add(link("hub", "mihub hub", "The federation hub: the index of the consortium's nodes", hubBaseUrl,
                    null, "root", "ok"));
        }
        config.links().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(entry -> !(hubBaseUrl != null && entry.getKey().equals("hub")))
                .filter(entry -> children.stream().noneMatch(node -> node.node().equals(entry.getKey())))
                .forEach(entry -> {
                    var link = entry.getValue();
                    data.add(link(entry.getKey(), link.name(), link.description(), link.baseUrl(),
                            link.homepage().orElse(null), link.linkType(), link.aggregate()));
                });
        children.stream().sorted(java.util.Comparator.comparing(FederationViews.NodeView::node)).forEach(node -> data.add(
                link(node.node(), "mihub node " + node.node(), "The mihub node of " + String.join(", ",
                        node.organisations() == null ? List.of(node.node()) : node.organisations()),
                        node.optimadeUrl(), null, "child", "ok")));
        return document(data, meta.of(uri, false, (long) data.size(), (long) data.size(), List.of()));
    }

    /** Anything else under a versioned base: 553 for a version not served, 404 for an unknown endpoint. */
    @GET
    @Path("{version}/{rest: .*}")
    @Produces({OptimadeMeta.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(hidden = true)
    public Response unknown(@PathParam("version") String version, @PathParam("rest") String rest) {
        served(version);
        throw new OptimadeException(404, "/" + rest + " is not an endpoint of this OPTIMADE service (info, "
                + "info/structures, info/references, structures, structures/{id}, references, references/{id}, "
                + "links)", null);
    }

    private static ObjectNode link(String id, String name, String description, String baseUrl, String homepage,
            String type, String aggregate) {
        ObjectNode link = JSON.objectNode().put("type", "links").put("id", id);
        ObjectNode attributes = link.putObject("attributes").put("name", name).put("description", description)
                .put("base_url", baseUrl).put("link_type", type).put("aggregate", aggregate);
        if (homepage == null) {
            attributes.putNull("homepage");
        } else {
            attributes.put("homepage", homepage);
        }
        return link;
    }

    private static Response document(com.fasterxml.jackson.databind.JsonNode data, ObjectNode meta) {
        ObjectNode document = JSON.objectNode();
        document.set("data", data);
        document.set("meta", meta);
        return Response.ok(document).type(OptimadeMeta.MEDIA_TYPE).build();
    }

    private static void served(String version) {
        if (VERSIONS.contains(version)) {
            return;
        }
        if (VERSION.matcher(version).matches()) {
            throw new OptimadeException(OptimadeException.VERSION_NOT_SUPPORTED, "version " + version.substring(1)
                    + " of the OPTIMADE API is not served here; see /optimade/versions", null);
        }
        throw new OptimadeException(404, "/optimade/" + version + " is not an OPTIMADE base URL; see "
                + "/optimade/versions", null);
    }

    private static OptimadeException notFound(String type, String id) {
        return new OptimadeException(404, "no " + (type.equals(REFERENCES) ? "reference" : "structure") + " with id "
                + id + " (or it is not visible to the caller)", null);
    }

    /** Unknown unprefixed (or mihub-prefixed) parameters are refused; another provider's are ignored. */
    private static void parameters(MultivaluedMap<String, String> query, List<String> warnings) {
        for (String name : query.keySet()) {
            if (LISTING_PARAMETERS.contains(name)) {
                continue;
            }
            String prefix = ProviderPrefix.of(name);
            if (prefix == null || prefix.equals(ProviderPrefix.MIHUB)) {
                throw OptimadeException.badParameter(name, "unknown query parameter '" + name + "'; the parameters "
                        + "are " + String.join(", ", LISTING_PARAMETERS.stream().sorted().toList()));
            }
            warnings.add("the query parameter '" + name + "' belongs to the provider '" + prefix + "' and has been "
                    + "ignored");
        }
        for (String unused : List.of("page_cursor", "page_above", "page_below")) {
            if (query.containsKey(unused)) {
                warnings.add(unused + " is not supported and has been ignored; page with page_offset or page_number "
                        + "(links.next does)");
            }
        }
        String hint = one(query, "api_hint", null);
        if (hint != null && !API_HINT.matcher(hint).matches()) {
            throw OptimadeException.badParameter("api_hint", "api_hint is a major or minor version such as v1 or "
                    + "v1.2");
        }
        responseFormat(query);
        include(query);
    }

    private static void responseFormat(MultivaluedMap<String, String> query) {
        String format = one(query, "response_format", "json");
        if (!format.equals("json")) {
            throw OptimadeException.badParameter("response_format", "response_format '" + format
                    + "' is not served; the only format is json");
        }
    }

    /** No relationships are served: include may be empty or the default, references (which includes nothing). */
    private static void include(MultivaluedMap<String, String> query) {
        String include = one(query, "include", "");
        if (!include.isEmpty() && !include.equals("references")) {
            throw OptimadeException.badParameter("include", "include '" + include + "' names no relationship of "
                    + "structures");
        }
    }

    private static int pageLimit(MultivaluedMap<String, String> query) {
        String text = one(query, "page_limit", null);
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        long limit = wholeNumber("page_limit", text);
        if (limit < 1) {
            throw OptimadeException.badParameter("page_limit", "page_limit is at least 1");
        }
        if (limit > MAX_LIMIT) {
            throw new OptimadeException(403, "the largest page_limit is " + MAX_LIMIT + "; " + limit
                    + " was asked for", "page_limit");
        }
        return (int) limit;
    }

    private static long pageOffset(MultivaluedMap<String, String> query, int limit, List<String> warnings) {
        String offset = one(query, "page_offset", null);
        String number = one(query, "page_number", null);
        if (offset != null) {
            if (number != null) {
                warnings.add("page_number has been ignored: page_offset was given");
            }
            long value = wholeNumber("page_offset", offset);
            if (value < 0) {
                throw OptimadeException.badParameter("page_offset", "page_offset is 0 or more");
            }
            return value;
        }
        if (number != null) {
            long page = wholeNumber("page_number", number);
            if (page < 1) {
                throw OptimadeException.badParameter("page_number", "page_number counts from 1");
            }
            return (page - 1) * limit;
        }
        return 0;
    }

    private static long wholeNumber(String parameter, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw OptimadeException.badParameter(parameter, parameter + " '" + text + "' is not a whole number");
        }
    }

    /**
     * The attributes to return (null: all). A standard name mihub does not hold is returned as null; an
     * unknown unprefixed name is refused; another provider's name is returned as null; an unknown
     * {@code _mihub_} name is left out with a warning.
     */
    private Uni<Set<String>> fields(String type, MultivaluedMap<String, String> query, List<String> warnings) {
        String requested = one(query, "response_fields", null);
        if (requested == null) {
            return Uni.createFrom().nullItem();
        }
        return catalog.fields(type).map(known -> {
            Set<String> names = new java.util.HashSet<>();
            known.forEach(field -> names.add(field.name()));
            Set<String> selected = new LinkedHashSet<>();
            for (String name : requested.split(",")) {
                String field = name.trim();
                if (field.isEmpty() || field.equals("id") || field.equals("type")) {
                    continue;
                }
                String prefix = ProviderPrefix.of(field);
                if (names.contains(field) || prefix != null && !prefix.equals(ProviderPrefix.MIHUB)) {
                    selected.add(field);
                } else if (prefix != null) {
                    warnings.add("response_fields: '" + field + "' is not a field of this database and has been "
                            + "left out");
                } else {
                    throw OptimadeException.badParameter("response_fields", "unknown field '" + field + "' (see "
                            + "/info/" + type + ")");
                }
            }
            return selected;
        });
    }

    private static String next(String url, MultivaluedMap<String, String> query, long offset) {
        StringBuilder next = new StringBuilder(url).append('?');
        query.forEach((name, values) -> {
            if (!name.equals("page_offset") && !name.equals("page_number")) {
                values.forEach(value -> next.append(encode(name)).append('=').append(encode(value)).append('&'));
            }
        });
        return next.append("page_offset=").append(offset).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String one(MultivaluedMap<String, String> query, String name, String otherwise) {
        String value = query.getFirst(name);
        return value == null ? otherwise : value;
    }
}

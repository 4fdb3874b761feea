package org.mihub.gateway.rest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;

import org.mihub.common.config.ApplicationConfig;
import org.mihub.common.optimade.ProviderPrefix;
import org.mihub.gateway.config.OptimadeConfig;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code meta} object of every OPTIMADE response, and the base URLs it and the links are built from. */
@ApplicationScoped
public class OptimadeMeta {

    public static final String MEDIA_TYPE = "application/vnd.api+json";
    /** The OPTIMADE specification version served. */
    public static final String API_VERSION = "1.2.0";

    private static final Pattern VERSIONED = Pattern.compile("^/optimade/v[0-9]+(\\.[0-9]+)*");

    @Inject
    OptimadeConfig config;

    @Inject
    ApplicationConfig application;

    public ObjectNode of(UriInfo uri, boolean more, Long returned, Long available, List<String> warnings) {
        return of(uri.getRequestUri().getRawPath(), uri.getRequestUri().getRawQuery(), more, returned, available,
                warnings);
    }

    public ObjectNode of(String rawPath, String rawQuery, boolean more, Long returned, Long available,
            List<String> warnings) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.putObject("query").put("representation", representation(rawPath, rawQuery));
        meta.put("api_version", API_VERSION);
        meta.put("more_data_available", more);
        if (returned != null) {
            meta.put("data_returned", returned);
        }
        if (available != null) {
            meta.put("data_available", available);
        }
        ObjectNode provider = meta.putObject("provider").put("name", config.provider().name())
                .put("description", config.provider().description()).put("prefix", ProviderPrefix.MIHUB);
        config.provider().homepage().ifPresent(homepage -> provider.put("homepage", homepage));
        meta.put("schema", config.schema());
        meta.put("time_stamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.putObject("implementation").put("name", "mihub").put("version", application.version());
        if (!warnings.isEmpty()) {
            var list = meta.putArray("warnings");
            warnings.forEach(warning -> list.addObject().put("type", "warning").put("detail", warning));
        }
        return meta;
    }

    /** The unversioned base URL: configured, or this request's origin with {@code /optimade}. */
    public String baseUrl(UriInfo uri) {
        return config.baseUrl().map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(() -> uri.getBaseUri().resolve("/optimade").toString());
    }

    /** What follows the versioned base URL, with the query string, e.g. {@code /structures?filter=nelements=2}. */
    static String representation(String rawPath, String rawQuery) {
        String path = VERSIONED.matcher(rawPath).replaceFirst("");
        return (path.isEmpty() ? "/" : path) + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }
}

package org.mihub.gateway.config;

import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.URL;
import org.mihub.common.config.ConfigRules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The OPTIMADE API of this node: who provides it, where it is published, and the other nodes of the
 * consortium that {@code /links} lists (federation discovery).
 */
@ConfigMapping(prefix = "mihub.optimade")
public interface OptimadeConfig {

    /**
     * The public unversioned base URL, e.g. {@code https://api.hub.mihub.example.org/optimade}.
     * Unset: taken from each request (correct when no proxy rewrites the host).
     */
    Optional<@URL(message = ConfigRules.URL_MESSAGE) String> baseUrl();

    /**
     * The OpenAPI schema every response's {@code meta.schema} names: by default the OPTIMADE
     * consortium's published schema of the version served.
     */
    @WithDefault("https://schemas.optimade.org/openapi/v1.2/optimade.json")
    @URL(message = ConfigRules.URL_MESSAGE)
    String schema();

    /** This node as a {@code /links} entry. */
    Node node();

    /** The provider in every response's {@code meta}. */
    Provider provider();

    /**
     * The other OPTIMADE services of the federation, by link id: the hub ({@code link-type=root}) on
     * a regional node, the regional nodes ({@code child}) on the hub. Without a root link this node
     * is its own root.
     */
    Map<String, Link> links();

    interface Node {
        @WithDefault("mihub")
        String id();

        @WithDefault("mihub")
        String name();

        @WithDefault("A mihub node: the materials catalog of the consortium members, under each member's sharing rules.")
        String description();

        Optional<@URL(message = ConfigRules.URL_MESSAGE) String> homepage();
    }

    interface Provider {
        @WithDefault("mihub materials-informatics consortium")
        String name();

        @WithDefault("Materials data of the consortium's companies, universities and national laboratories.")
        String description();

        Optional<@URL(message = ConfigRules.URL_MESSAGE) String> homepage();
    }

    interface Link {
        String name();

        String description();

        /** The linked service's unversioned OPTIMADE base URL. */
        @URL(message = ConfigRules.URL_MESSAGE)
        String baseUrl();

        Optional<@URL(message = ConfigRules.URL_MESSAGE) String> homepage();

        /** {@code root}, {@code child}, {@code external} or {@code providers}. */
        @WithDefault("child")
        @Pattern(regexp = "root|child|external|providers", message = "must be root, child, external or providers")
        String linkType();

        /** {@code ok}, {@code test}, {@code staging} or {@code no}: whether clients should aggregate it. */
        @WithDefault("ok")
        @Pattern(regexp = "ok|test|staging|no", message = "must be ok, test, staging or no")
        String aggregate();
    }
}

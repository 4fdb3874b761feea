package org.mihub.common.config;

/**
 * The constraints that every service's {@code @ConfigMapping} shares, written once: quarkus-hibernate-validator
 * checks each mapping when the service starts, and a value that breaks one stops it with the key and
 * the message below (e.g. {@code mihub.gateway.backend-deadline must be a positive duration, e.g. 5s}).
 */
public final class ConfigRules {

    /** For {@code @DurationMin(millis = 1)}: a deadline, timeout or period of zero or less. */
    public static final String POSITIVE_DURATION = "must be a positive duration, e.g. 5s";

    /** For {@code @URL}. */
    public static final String URL_MESSAGE = "must be an absolute URL, e.g. https://host/path";

    /** A full gRPC method name, {@code package.Service/Method}. */
    public static final String GRPC_METHOD = "[A-Za-z_][A-Za-z0-9_.]*/[A-Za-z_][A-Za-z0-9_]*";

    public static final String GRPC_METHOD_MESSAGE = "must list full gRPC method names (package.Service/Method)";

    /** A gRPC client's name as in {@code quarkus.grpc.clients.<name>}. */
    public static final String CLIENT_NAME = "[A-Za-z0-9_-]+";

    public static final String CLIENT_NAME_MESSAGE = "must list gRPC client names (quarkus.grpc.clients.<name>)";

    /** An organisation as tokens name it in their {@code org} claim, or {@code *} (every organisation not listed elsewhere). */
    public static final String TRUSTED_ORG = "\\s*(\\*|[A-Za-z0-9][A-Za-z0-9._-]*)\\s*";

    public static final String TRUSTED_ORGS_MESSAGE = "must list organisations (e.g. acme,kansai-u) or *";

    private ConfigRules() {
    }
}

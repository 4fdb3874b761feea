package org.mihub.common.optimade;

/**
 * OPTIMADE provider prefixes: mihub's own ({@code _mihub_...} fields and parameters), and how to
 * read the prefix of a name. The catalog (filters, sort) and the gateway (entries, parameters,
 * response fields) apply the same rule.
 */
public final class ProviderPrefix {

    /** mihub's provider prefix. */
    public static final String MIHUB = "mihub";

    private ProviderPrefix() {
    }

    /** The provider prefix of a name ({@code _exmpl_x} has {@code exmpl}), or null when it has none. */
    public static String of(String name) {
        int end = name.indexOf('_', 1);
        return name.startsWith("_") && end > 1 ? name.substring(1, end) : null;
    }
}

package org.mihub.gateway.rest;

import java.util.Arrays;
import java.util.List;

import org.mihub.gateway.error.InvalidInput;

/**
 * Typed query parameters read from their text, so a wrong value is a 400 that names the parameter
 * (JAX-RS would answer a failed conversion with a bare 404).
 */
final class QueryParams {

    private QueryParams() {
    }

    static int integer(String name, String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, raw, "an integer");
        }
    }

    /** A page size: at least 1 (absent: {@code fallback}); the backend caps it at its largest page. */
    static int limit(String raw, int fallback) {
        int limit = integer("limit", raw, fallback);
        if (limit < 1) {
            throw invalid("limit", raw, "a page size of at least 1");
        }
        return limit;
    }

    static Double number(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            double value = Double.parseDouble(raw.trim());
            if (!Double.isFinite(value)) {
                throw invalid(name, raw, "a finite number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, raw, "a number");
        }
    }

    static boolean flag(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, raw, "true or false");
        };
    }

    /** Values of a repeatable query parameter, each of which may also be comma-separated. */
    static List<String> split(List<String> values) {
        return values == null ? List.of() : values.stream().flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    /** The field is the parameter; its reason is the whole detail, which names it. */
    /** {@code scope}: local (default) or federation, in any case; anything else is refused naming it. */
    static boolean federation(String scope) {
        if (scope == null || scope.isBlank() || scope.equalsIgnoreCase("local")) {
            return false;
        }
        if (scope.equalsIgnoreCase("federation")) {
            return true;
        }
        throw new InvalidInput("scope", "'" + scope + "' is not local or federation");
    }

    /** The scope parameter as both searches document it. */
    static final String SCOPE = "local (default): this installation; federation: every node of the federation, "
            + "asked live with the caller's own token (each item then names its node and homeUrl, and nodes tells how "
            + "each node answered: ok, timeout, unavailable or refused)";

    private static InvalidInput invalid(String name, String raw, String expected) {
        String detail = "query parameter '" + name + "': '" + raw + "' is not " + expected;
        return new InvalidInput(name, detail, detail);
    }
}

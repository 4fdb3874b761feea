package org.mihub.launcher;

import java.util.List;

/**
 * The four mihub services: module, short name, port offset, own database, the services each one
 * calls, and its maximum heap (-Xmx). The prediction service holds a training set's feature matrix,
 * its cross-validation copies and a forest: 4 GiB fits 100 000 rows (launcher/README.md, "Memory").
 */
public enum Service {
    CATALOG("catalog-service", "catalog", 1, true, List.of(), "384m"),
    PREDICTION("prediction-service", "prediction", 2, true, List.of("catalog"), "4g"),
    PLANNING("planning-service", "planning", 3, true, List.of("catalog", "prediction"), "384m"),
    GATEWAY("gateway", "gateway", 0, false, List.of("catalog", "prediction", "planning"), "384m");

    private final String module;
    private final String shortName;
    private final int portOffset;
    private final boolean ownsDatabase;
    private final List<String> calls;
    private final String heap;

    Service(String module, String shortName, int portOffset, boolean ownsDatabase, List<String> calls, String heap) {
        this.module = module;
        this.shortName = shortName;
        this.portOffset = portOffset;
        this.ownsDatabase = ownsDatabase;
        this.calls = calls;
        this.heap = heap;
    }

    /** The -Xmx of its JVM, e.g. "2g". */
    public String heap() {
        return heap;
    }

    public String module() {
        return module;
    }

    /** The name of its gRPC client configuration in its callers, and of its database. */
    public String shortName() {
        return shortName;
    }

    int portOffset() {
        return portOffset;
    }

    /** The gateway holds no data; every other service owns one database named after it. */
    public boolean ownsDatabase() {
        return ownsDatabase;
    }

    /** Short names of the services this one calls over gRPC. */
    public List<String> calls() {
        return calls;
    }

    /** The service a user names on the command line: its module ("catalog-service") or short name ("catalog"). */
    static Service byName(String name) {
        for (Service service : values()) {
            if (service.module.equals(name) || service.shortName.equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no service named '" + name + "'; one of "
                + String.join(", ", java.util.Arrays.stream(values()).map(Service::module).toList()));
    }

    static Service byShortName(String name) {
        for (Service service : values()) {
            if (service.shortName.equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no service named " + name);
    }
}

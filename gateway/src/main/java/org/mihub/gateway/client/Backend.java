package org.mihub.gateway.client;

/** The services behind the gateway, by the name of their gRPC client configuration. */
public enum Backend {
    CATALOG("catalog", "catalog-service"),
    PREDICTION("prediction", "prediction-service"),
    PLANNING("planning", "planning-service");

    private final String clientName;
    private final String serviceName;

    Backend(String clientName, String serviceName) {
        this.clientName = clientName;
        this.serviceName = serviceName;
    }

    public String clientName() {
        return clientName;
    }

    public String serviceName() {
        return serviceName;
    }
}

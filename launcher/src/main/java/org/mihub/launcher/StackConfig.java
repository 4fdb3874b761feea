package org.mihub.launcher;

import java.nio.file.Path;

/**
 * Where and on which ports one mihub suite runs on one machine.
 *
 * @param home     the project checkout (its modules hold the packaged services)
 * @param stateDir data, logs and process ids of this suite ({@code .mihub} by default)
 * @param basePort the gateway's port; the others follow: catalog +1, prediction +2, planning +3,
 *                 Keycloak +10 (and +11 for its management interface), PostgreSQL +352
 */
public record StackConfig(Path home, Path stateDir, int basePort) {

    public static final String HOST = "127.0.0.1";
    public static final String REALM = "mihub";

    public int gatewayPort() {
        return basePort;
    }

    public int portOf(Service service) {
        return basePort + service.portOffset();
    }

    public int keycloakPort() {
        return basePort + 10;
    }

    public int keycloakManagementPort() {
        return basePort + 11;
    }

    public int postgresPort() {
        return basePort + 352;
    }

    public String gatewayUrl() {
        return "http://" + HOST + ":" + gatewayPort();
    }

    public String issuer() {
        return issuer(REALM);
    }

    /** The issuer URL of a realm of this config's Keycloak. */
    public String issuer(String realm) {
        return "http://" + HOST + ":" + keycloakPort() + "/realms/" + realm;
    }

    public Path logs() {
        return stateDir.resolve("logs");
    }

    public Path run() {
        return stateDir.resolve("run");
    }
}

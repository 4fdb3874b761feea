package org.mihub.common.config;

import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;

/** What this service's readiness depends on besides itself. */
@ConfigMapping(prefix = "mihub.health")
public interface HealthConfig {

    /**
     * gRPC client names ({@code quarkus.grpc.clients.<name>}) whose liveness is part of this
     * service's readiness; unset: none.
     */
    Optional<List<@Pattern(regexp = ConfigRules.CLIENT_NAME, message = ConfigRules.CLIENT_NAME_MESSAGE) String>>
            downstream();
}

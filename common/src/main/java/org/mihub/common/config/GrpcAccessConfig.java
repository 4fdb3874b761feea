package org.mihub.common.config;

import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;

/** Which gRPC methods of this service anonymous callers may call (deny by default). */
@ConfigMapping(prefix = "mihub.grpc")
public interface GrpcAccessConfig {

    /**
     * Full gRPC method names ({@code pkg.Service/Method}) callable without a token (public reads);
     * unset: none.
     */
    Optional<Set<@Pattern(regexp = ConfigRules.GRPC_METHOD, message = ConfigRules.GRPC_METHOD_MESSAGE) String>>
            anonymousMethods();
}

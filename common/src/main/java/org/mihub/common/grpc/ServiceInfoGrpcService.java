package org.mihub.common.grpc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.mihub.api.common.v1.Caller;
import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.HealthCheck;
import org.mihub.api.common.v1.MutinyServiceInfoGrpc;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.api.common.v1.WhoAmIResponse;
import org.mihub.common.config.ApplicationConfig;
import org.mihub.common.health.ReadinessReader;
import org.mihub.common.identity.CallerContext;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Identity and health of this service, as the service itself sees them: the same class in every
 * backend. It extends the generated base class (rather than implementing the Mutiny interface) so
 * that Quarkus registers it from this shared jar.
 */
@GrpcService
@Singleton
@Authenticated
public class ServiceInfoGrpcService extends MutinyServiceInfoGrpc.ServiceInfoImplBase {

    @Inject
    ApplicationConfig application;

    @Inject
    ReadinessReader readiness;

    @Override
    public Uni<WhoAmIResponse> whoAmI(WhoAmIRequest request) {
        var caller = CallerContext.require();
        return Uni.createFrom().item(WhoAmIResponse.newBuilder().setService(application.name())
                .setCaller(Caller.newBuilder().setSubject(caller.subject()).setOrg(caller.org())
                        .addAllRoles(caller.sortedRoles()).setUsername(caller.username())
                        .setClientId(caller.clientId()))
                .build());
    }

    @Override
    public Uni<ServiceStatus> getStatus(GetStatusRequest request) {
        CallerContext.require();
        return readiness.read().map(report -> {
            var status = ServiceStatus.newBuilder().setService(application.name()).setReady(report.ready());
            report.checks().forEach(check -> status.addChecks(HealthCheck.newBuilder().setName(check.name())
                    .setUp(check.up()).setDetail(check.detail())));
            return status.build();
        });
    }
}

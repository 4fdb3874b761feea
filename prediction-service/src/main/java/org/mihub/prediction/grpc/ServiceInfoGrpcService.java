package org.mihub.prediction.grpc;

import jakarta.inject.Inject;

import org.mihub.api.common.v1.Caller;
import org.mihub.api.common.v1.GetStatusRequest;
import org.mihub.api.common.v1.HealthCheck;
import org.mihub.api.common.v1.ServiceInfo;
import org.mihub.api.common.v1.ServiceStatus;
import org.mihub.api.common.v1.WhoAmIRequest;
import org.mihub.api.common.v1.WhoAmIResponse;
import org.mihub.common.health.ReadinessReader;
import org.mihub.common.identity.CallerContext;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Identity and health of the prediction service, as it sees them. */
@GrpcService
@Authenticated
public class ServiceInfoGrpcService implements ServiceInfo {

    static final String SERVICE = "prediction-service";

    @Inject
    ReadinessReader readiness;

    @Override
    public Uni<WhoAmIResponse> whoAmI(WhoAmIRequest request) {
        var caller = CallerContext.require();
        return Uni.createFrom().item(WhoAmIResponse.newBuilder().setService(SERVICE)
                .setCaller(Caller.newBuilder().setSubject(caller.subject()).setOrg(caller.org())
                        .addAllRoles(caller.sortedRoles()).setUsername(caller.username())
                        .setClientId(caller.clientId()))
                .build());
    }

    @Override
    public Uni<ServiceStatus> getStatus(GetStatusRequest request) {
        CallerContext.require();
        return readiness.read().map(report -> {
            var status = ServiceStatus.newBuilder().setService(SERVICE).setReady(report.ready());
            report.checks().forEach(check -> status.addChecks(HealthCheck.newBuilder().setName(check.name())
                    .setUp(check.up()).setDetail(check.detail())));
            return status.build();
        });
    }
}

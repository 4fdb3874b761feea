package org.mihub.common.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.mihub.common.config.ApplicationConfig;

/**
 * Liveness says which build answers: the service's name, version, process id and start time, so
 * an operator (or {@code ./mihub status}) sees what really runs on a port, not what was meant to.
 */
@Liveness
@ApplicationScoped
public class ServiceLiveness implements HealthCheck {

    @Inject
    ApplicationConfig application;

    @Override
    public HealthCheckResponse call() {
        ProcessHandle self = ProcessHandle.current();
        var response = HealthCheckResponse.named("service").up()
                .withData("name", application.name())
                .withData("version", application.version())
                .withData("pid", self.pid());
        self.info().startInstant().ifPresent(started -> response.withData("startedAt", started.toString()));
        return response.build();
    }
}

package org.mihub.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service's long jobs are held and taken up again ({@code jobs.JobRunner}, {@code jobs.JobTable}). */
@ConfigMapping(prefix = "mihub.jobs")
public interface JobsConfig {

    /**
     * How long a job stays held by its process without a renewal (renewed every third of it):
     * after a crash, the time until another replica takes it up.
     */
    @WithDefault("30s")
    @DurationMin(millis = 300, message = "must be at least 300ms")
    Duration lease();

    /** How often an idle process looks for a job to take up. */
    @WithDefault("2s")
    @DurationMin(millis = 10, message = "must be at least 10ms")
    Duration poll();

    /** How many times a job is started before it fails for good (each start whose process stopped counts). */
    @WithDefault("3")
    @Min(1)
    @Max(20)
    int maxAttempts();

    /**
     * The host or pod this process runs on; a process starting on it takes up at once the jobs
     * earlier ones on it held. Unset: {@code HOSTNAME} (the pod name on Kubernetes), else the
     * machine's host name.
     */
    Optional<@Pattern(regexp = "[^/\\s]{1,200}", message = "a host name without '/' or spaces") String> host();

    /** The configured host, else {@code HOSTNAME}, else the machine's name. */
    static String host(JobsConfig config) {
        if (config.host().isPresent()) {
            return config.host().get();
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank() && !env.contains("/")) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName().replace('/', '-');
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

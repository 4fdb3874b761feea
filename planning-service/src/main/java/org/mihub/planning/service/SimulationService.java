package org.mihub.planning.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleConsumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;
import org.mihub.planning.repository.JobRepository;
import org.mihub.planning.repository.JobRepository.JobRecord;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.planning.simulation.ParetoSimulation;
import org.mihub.planning.simulation.PoolSimulation;

/**
 * Digital-twin simulations as jobs: a strategy run against a recorded pool for many seeds, with
 * progress, cancellation and a stored report. Jobs run one at a time per replica (each uses every
 * core for its runs); their state lives in PostgreSQL, and a job whose process stopped is reported
 * failed once its heartbeat is stale.
 */
@ApplicationScoped
public class SimulationService {

    private static final Logger LOG = Logger.getLogger(SimulationService.class);
    private static final long ABANDONED_AFTER_SECONDS = 120;
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * A validated simulation: the strategy, the pool (with each design's candidate id and
     * composition, null without one), how to run and report it. Two objectives: {@code pareto}
     * holds the pool and {@code pool} is null. With a prediction-model surrogate, {@code prior} holds
     * the model's view of the pool ({@link #withPrior}).
     */
    public record Request(Plan plan, PoolSimulation.Pool pool, ParetoSimulation.Pool pareto, long[] seeds,
            int maxEvaluations, double topFraction, double[] levels, byte[] document, String[] candidateIds,
            List<Map<String, Double>> compositions, ModelPrior prior) {

        public Request withPrior(ModelPrior prior) {
            return new Request(plan, pool, pareto, seeds, maxEvaluations, topFraction, levels, document,
                    candidateIds, compositions, prior);
        }
    }

    /** Writes a finished simulation's report document. */
    public interface ReportWriter {
        byte[] single(PoolSimulation.Report report);

        byte[] pareto(ParetoSimulation.Report report);
    }

    @Inject
    JobRepository jobs;

    private final Map<UUID, AtomicBoolean> running = new ConcurrentHashMap<>();
    private ExecutorService queue;
    private ExecutorService runs;
    private ScheduledExecutorService heartbeat;

    @PostConstruct
    void start() {
        queue = Executors.newSingleThreadExecutor(daemon("simulation-queue"));
        runs = Executors.newFixedThreadPool(THREADS, daemon("simulation-run"));
        heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("simulation-heartbeat"));
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                jobs.heartbeat(running.keySet());
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("simulation heartbeat failed: %s", e.getMessage());
            }
        }, 20, 20, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        heartbeat.shutdownNow();
        queue.shutdownNow();
        runs.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Queues the simulation as a job of the caller's organisation; returns the job. */
    public JobRecord start(Caller caller, Request request, ReportWriter reportDocument) {
        if (!caller.hasRole(Caller.MEMBER) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("the role 'member' is required");
        }
        UUID id = UUID.randomUUID();
        try {
            jobs.insert(id, "simulation", caller.org(), "PRIVATE", caller.subject(), request.document());
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        running.put(id, cancelled);
        queue.submit(() -> run(id, request, cancelled, reportDocument));
        return job(Optional.of(caller), id);
    }

    private void run(UUID id, Request request, AtomicBoolean cancelled, ReportWriter reportDocument) {
        try {
            if (cancelled.get()) {
                return;
            }
            jobs.update(id, "RUNNING", 0, "running " + request.seeds().length + " runs", null);
            PoolSimulation.Strategy strategy = new PoolSimulation.Strategy(request.plan().acquisition(),
                    request.plan().batchStrategy(), request.plan().batchSize(), request.plan().surrogate(),
                    request.plan().initialPoints(), request.prior());
            long[] lastUpdate = {0};
            DoubleConsumer progress = share -> {
                long now = System.nanoTime();
                if (now - lastUpdate[0] > 1_000_000_000L || share >= 1) {
                    lastUpdate[0] = now;
                    try {
                        jobs.update(id, "RUNNING", share, Math.round(share * request.seeds().length) + " of "
                                + request.seeds().length + " runs done", null);
                    } catch (SQLException e) {
                        LOG.warnf("progress of job %s not recorded: %s", id, e.getMessage());
                    }
                }
            };
            byte[] document = request.pareto() != null
                    ? reportDocument.pareto(ParetoSimulation.run(request.pareto(), strategy,
                            request.plan().objectives(), request.seeds(), request.maxEvaluations(), request.levels(),
                            runs, progress, cancelled::get))
                    : reportDocument.single(PoolSimulation.run(request.pool(), strategy, request.seeds(),
                            request.maxEvaluations(), request.topFraction(), request.levels(), runs, progress,
                            cancelled::get));
            jobs.update(id, "SUCCEEDED", 1, "done", document);
        } catch (CancellationException e) {
            LOG.infof("simulation %s cancelled", id);
        } catch (RuntimeException | SQLException e) {
            LOG.errorf(e, "simulation %s failed", id);
            try {
                jobs.update(id, "FAILED", 0, "the simulation failed: " + e.getMessage(), null);
            } catch (SQLException ignored) {
                LOG.warnf("the failure of job %s was not recorded", id);
            }
        } finally {
            running.remove(id);
        }
    }

    /** A job the caller may see under the access rule (SHARED ones also by the named orgs); NOT_FOUND otherwise. */
    public JobRecord job(Optional<Caller> caller, UUID id) {
        try {
            JobRecord job = jobs.find(id).filter(j -> AccessRule.canRead(caller, j.sharing()))
                    .orElseThrow(() -> ApiException.notFound("job", id.toString()));
            if (!job.finished() && !running.containsKey(id)
                    && job.updatedAt().isBefore(Instant.now().minusSeconds(ABANDONED_AFTER_SECONDS))) {
                jobs.failAbandoned(id, ABANDONED_AFTER_SECONDS);
                job = jobs.find(id).orElseThrow();
            }
            return job;
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    public JobRecord cancel(Caller caller, UUID id) {
        JobRecord job = job(Optional.of(caller), id);
        if (!caller.hasRole(Caller.ADMIN) && !(caller.hasRole(Caller.MEMBER) && caller.org().equals(job.ownerOrg()))) {
            throw ApiException.denied("the role 'member' in organisation " + job.ownerOrg() + " is required");
        }
        if (job.finished()) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "job " + id + " is " + job.state()
                    + " already", List.of());
        }
        AtomicBoolean flag = running.get(id);
        if (flag != null) {
            flag.set(true);
        }
        try {
            jobs.update(id, "CANCELLED", job.progress(), "cancelled by " + caller.subject(), null);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
        return job(Optional.of(caller), id);
    }
}

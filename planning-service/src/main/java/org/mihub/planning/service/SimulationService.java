package org.mihub.planning.service;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleConsumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.access.AccessRule;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;
import org.mihub.common.jobs.JobContext;
import org.mihub.common.jobs.JobRunner;
import org.mihub.common.jobs.JobTable;
import org.mihub.common.config.JobsConfig;
import org.mihub.planning.repository.JobRepository;
import org.mihub.planning.repository.JobRepository.JobRecord;
import org.mihub.common.sql.EntityTransactions;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.planning.simulation.ParetoSimulation;
import org.mihub.planning.simulation.PoolSimulation;

/**
 * Digital-twin simulations as jobs: a strategy run against a recorded pool for many seeds, with
 * progress, cancellation and a stored report. Jobs run through the shared {@link JobRunner}: one at a
 * time per replica (each uses every core for its runs), their state in PostgreSQL; any failure,
 * running out of memory included, ends a job FAILED at once. A job whose process stopped is taken up
 * again by another (or the restarted) process when its stored request is all it needs
 * ({@link Stored}); one that also read data as its caller fails at once with that reason.
 */
@ApplicationScoped
public class SimulationService {

    private static final String OUT_OF_MEMORY_ADVICE = "Simulate fewer runs (seeds) or fewer evaluations per run, "
            + "or a smaller pool, or give planning-service a larger heap: -Xmx in the launcher (Service.java of the "
            + "launcher module), or the memory limit of its container in Kubernetes (k8s/base/planning-service.yaml; "
            + "the heap is 75% of it).";
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

    /** A stored simulation made runnable again: the request and its report writer. */
    public record Prepared(Request request, ReportWriter reportDocument) {
    }

    /**
     * Reads a stored simulation request back for a process that takes the job up again (the gRPC
     * layer's mapping); throws {@code JobRunner.NotResumableException} with the reason when the
     * simulation needs more than its request (data read as its caller).
     */
    public interface Stored {
        Prepared prepare(byte[] document);
    }

    /** Writes a finished simulation's report document. */
    public interface ReportWriter {
        byte[] single(PoolSimulation.Report report);

        byte[] pareto(ParetoSimulation.Report report);
    }

    @Inject
    JobRepository jobs;

    @Inject
    JobsConfig jobsConfig;

    @Inject
    Stored stored;

    private JobTable<byte[]> table;
    private JobRunner<byte[]> runner;
    private ExecutorService runs;

    @PostConstruct
    void start() {
        runs = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "simulation-run");
            thread.setDaemon(true);
            return thread;
        });
        table = jobs.table(jobsConfig.maxAttempts());
        runner = new JobRunner<>("simulation", "planning-service", table, SimulationService::failure,
                OUT_OF_MEMORY_ADVICE, JobRunner.Leases.on(JobsConfig.host(jobsConfig), jobsConfig.lease(),
                        jobsConfig.poll()), this::resume);
    }

    @PreDestroy
    void stop() {
        runner.close();
        runs.shutdownNow();
    }

    /** What the user reads when a simulation failed of something other than running out of memory. */
    private static String failure(Throwable e) {
        return "the simulation failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** Queues the simulation as a job of the caller's organisation; returns the job. */
    public JobRecord start(Caller caller, Request request, ReportWriter reportDocument) {
        if (!caller.hasRole(Caller.MEMBER) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("the role 'member' is required");
        }
        UUID id = UUID.randomUUID();
        EntityTransactions.requiringNew(() -> jobs.insert(id, "simulation", caller.org(), "PRIVATE", caller.subject(),
                request.document(), runner.worker()));
        runner.submit(id, job -> run(job, request, reportDocument));
        return job(Optional.of(caller), id);
    }

    /** The work of a claimed job, from its stored request. */
    private JobRunner.Work<byte[]> resume(UUID id) {
        JobRecord job = EntityTransactions.joiningExisting(() -> jobs.find(id))
                .orElseThrow(() -> new JobRunner.NotResumableException("the job's record is gone"));
        Prepared prepared = stored.prepare(job.request());
        return work -> run(work, prepared.request(), prepared.reportDocument());
    }

    private JobRunner.Outcome<byte[]> run(JobContext job, Request request, ReportWriter reportDocument) {
        int runCount = request.seeds().length;
        double[][] points = request.pareto() != null ? request.pareto().points() : request.pool().points();
        job.size("a pool of " + points.length + " candidates × " + (points.length == 0 ? 0 : points[0].length)
                + " parameters, " + runCount + " runs of up to " + request.maxEvaluations() + " evaluations"
                + (request.pareto() != null ? " on " + request.plan().objectives().size() + " objectives" : ""));
        job.progress(0, "running " + runCount + " runs");
        PoolSimulation.Strategy strategy = new PoolSimulation.Strategy(request.plan().acquisition(),
                request.plan().batchStrategy(), request.plan().batchSize(), request.plan().surrogate(),
                request.plan().initialPoints(), request.prior());
        long[] lastUpdate = {0};
        DoubleConsumer progress = share -> {
            long now = System.nanoTime();
            if (now - lastUpdate[0] > 1_000_000_000L || share >= 1) {
                lastUpdate[0] = now;
                job.record(share, Math.round(share * runCount) + " of " + runCount + " runs done");
            }
        };
        byte[] document = request.pareto() != null
                ? reportDocument.pareto(ParetoSimulation.run(request.pareto(), strategy, request.plan().objectives(),
                        request.seeds(), request.maxEvaluations(), request.levels(), runs, progress,
                        job.cancellation()))
                : reportDocument.single(PoolSimulation.run(request.pool(), strategy, request.seeds(),
                        request.maxEvaluations(), request.topFraction(), request.levels(), runs, progress,
                        job.cancellation()));
        return new JobRunner.Outcome<>("done", document);
    }

    /** A job the caller may see under the access rule (SHARED ones also by the named orgs); NOT_FOUND otherwise. */
    public JobRecord job(Optional<Caller> caller, UUID id) {
        try {
            JobRecord job = EntityTransactions.joiningExisting(() -> jobs.find(id)).filter(j -> AccessRule.canRead(caller, j.sharing()))
                    .orElseThrow(() -> ApiException.notFound("job", id.toString()));
            // the runner's state moves are JDBC statements of their own, outside any transaction
            return job.withAttempts(table.attempts(id));
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    public JobRecord cancel(Caller caller, UUID id) {
        JobRecord job = job(Optional.of(caller), id);
        CampaignService.requireMember(caller, job.ownerOrg());
        if (job.finished()) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "job " + id + " is " + job.state()
                    + " already", List.of());
        }
        try {
            runner.cancel(id, job.progress(), "cancelled by " + caller.subject());
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
        return job(Optional.of(caller), id);
    }
}

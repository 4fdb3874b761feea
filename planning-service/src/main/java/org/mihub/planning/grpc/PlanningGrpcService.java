package org.mihub.planning.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.PageInfo;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CandidatePoolOracle;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.GetCampaignRequest;
import org.mihub.api.planning.v1.ListCampaignsRequest;
import org.mihub.api.planning.v1.ListCampaignsResponse;
import org.mihub.api.planning.v1.ListProposalsRequest;
import org.mihub.api.planning.v1.LabelledCandidate;
import org.mihub.api.planning.v1.ListProposalsResponse;
import org.mihub.api.planning.v1.MutinyPlanningServiceGrpc;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.ReportResultsResponse;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;
import org.mihub.api.planning.v1.GetSimulationRequest;
import org.mihub.api.planning.v1.LabClientMessage;
import org.mihub.api.planning.v1.LabServerMessage;
import org.mihub.api.planning.v1.Simulation;
import org.mihub.api.planning.v1.SimulationSpec;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.api.prediction.v1.DatasetRef;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.GrpcErrors;
import org.mihub.common.grpc.Work;
import org.mihub.common.identity.Caller;
import org.mihub.common.identity.CallerContext;
import org.mihub.planning.client.CatalogReader;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.acquisition.ModelPrior;
import org.mihub.planning.client.PredictionReader;
import org.mihub.planning.mapping.CampaignMapper;
import org.mihub.planning.mapping.Documents;
import org.mihub.planning.mapping.PriorMapper;
import org.mihub.planning.mapping.SimulationMapper;
import org.mihub.planning.mapping.SpecMapper;
import org.mihub.planning.service.Batch;
import org.mihub.planning.service.CampaignProposer;
import org.mihub.planning.service.CampaignService;
import org.mihub.planning.service.ResultRecorder;
import org.mihub.planning.service.Results;
import org.mihub.planning.service.Plan;
import org.mihub.planning.service.LabSessions;
import org.mihub.planning.service.SimulationService;
import org.mihub.planning.simulation.ParetoSimulation;
import org.mihub.planning.simulation.PoolSimulation;
import org.mihub.planning.space.Point;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The planning service over gRPC: campaigns, the ask/tell loop and simulation jobs. Every call
 * validates the caller's token; what a caller may see and do is decided in {@link CampaignService}
 * and {@link SimulationService}; lab-robot sessions (ConnectLab) in {@link LabSessions}.
 */
@GrpcService
@Singleton
public class PlanningGrpcService extends MutinyPlanningServiceGrpc.PlanningServiceImplBase {

    private static final int MAX_PAGE = 500;
    private static final int DEFAULT_PAGE = 50;

    @Inject
    CampaignService campaigns;

    @Inject
    CampaignProposer proposer;

    @Inject
    ResultRecorder recorder;

    @Inject
    org.mihub.planning.service.CampaignRecommender recommender;

    @Inject
    SimulationService simulations;

    @Inject
    LabSessions lab;

    @Inject
    CatalogReader catalogReader;


    @Inject
    PredictionReader predictionReader;

    @Override
    public Uni<Campaign> createCampaign(CreateCampaignRequest request) {
        return Work.blocking(() -> {
            Caller caller = CallerContext.require();
            long seed = request.getSpec().hasSeed() ? request.getSpec().getSeed()
                    : new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
            SpecMapper.checkRequest(request.getSpec());
            campaigns.requireCreator(caller, request.getOwnerOrg());
            campaigns.requireWritableResults(caller, request.getSpec().getResultsDatasetId());
            // the search runs once, as the creator; the campaign plans over what it found then
            CampaignSpec found = withCatalogCandidates(SpecMapper.withDefaults(request.getSpec(), seed));
            Plan checked = SpecMapper.plan(found);
            Map<String, String> vocabulary = campaigns.requireObjectiveUnits(checked);
            // a bound without a unit is in the property's canonical unit: recorded so, as a default
            CampaignSpec spec = SpecMapper.withConstraintUnits(found, vocabulary);
            Plan plan = spec == found ? checked : SpecMapper.plan(spec);
            for (var model : plan.models().entrySet()) {
                predictionReader.requireModelOf(model.getValue(), model.getKey(),
                        "spec.surrogate.prediction_model.model_ids[" + model.getKey() + "]");
            }
            List<PriorMapper.Prior> priors = new ArrayList<>();
            if (spec.getPriorDataCount() > 0) {
                List<String> properties = plan.objectives().stream().map(Plan.Objective::property).toList();
                PriorMapper.Candidates candidates = new PriorMapper.Candidates(plan.space().isExplicit()
                        ? plan.space().pool(Integer.MAX_VALUE, null) : List.of());
                for (DatasetRef reference : spec.getPriorDataList()) {
                    catalogReader.forEachMaterial(reference.getDatasetId(),
                            reference.hasVersion() ? reference.getVersion() : null, properties,
                            material -> PriorMapper.prior(spec, plan, reference.getDatasetId(), material, candidates)
                                    .ifPresent(priors::add));
                }
            }
            return CampaignMapper.campaign(campaigns.create(caller, request.getOwnerOrg(), spec.toByteArray(), plan,
                    spec.getName(), spec.getDescription(), spec.getResultsDatasetId(), priors));
        });
    }

    /** The spec with its catalog search (if any) run as the caller and its results filled in. */
    private CampaignSpec withCatalogCandidates(CampaignSpec spec) {
        if (!spec.getDesignSpace().hasCatalog() || spec.getDesignSpace().getCatalog().getResolvedCount() > 0) {
            return spec;
        }
        var catalog = spec.getDesignSpace().getCatalog();
        int max = catalog.hasMaxCandidates() && catalog.getMaxCandidates() > 0
                ? Math.min(catalog.getMaxCandidates(), SpecMapper.MAX_CATALOG_CANDIDATES)
                : SpecMapper.MAX_CATALOG_CANDIDATES;
        return spec.toBuilder().setDesignSpace(spec.getDesignSpace().toBuilder().setCatalog(catalog.toBuilder()
                .addAllResolved(catalogReader.candidates(catalog.getQuery(), max, catalog.getDistinctCompositions()))))
                .build();
    }

    /**
     * A model oracle as a labelled pool: the strategy's design space (at most
     * {@link SimulationMapper#MAX_POOL} points, sampled with the base seed when larger), each point's
     * value the objective model's prediction for its composition, asked as the caller — the mean, or
     * one draw from N(mean, std²) per point with sample_noise (drawn once, so every run meets the same
     * truth).
     */
    private CandidatePoolOracle modelPool(SimulationSpec spec, CampaignSpec strategy) {
        String property = strategy.getObjectives(0).getProperty();
        String field = "spec.model.model_ids[" + property + "]";
        String modelId = spec.getModel().getModelIdsMap().get(property);
        if (modelId == null || modelId.isBlank()) {
            throw ApiException.invalid(field, "name the model of the objective " + property);
        }
        if (strategy.getDesignSpace().getParametersCount() > 0) {
            throw ApiException.invalid("spec.campaign.design_space.parameters", "a model oracle predicts from the "
                    + "composition alone; process parameters need a pool or a dataset oracle");
        }
        long seed = spec.hasBaseSeed() ? spec.getBaseSeed() : 1;
        Plan plan = SpecMapper.plan(SpecMapper.withDefaults(withCatalogCandidates(strategy), seed));
        if (!plan.space().hasComposition()) {
            throw ApiException.invalid("spec.campaign.design_space", "a model oracle needs compositions: explicit "
                    + "formulas, a composition space or a catalog search");
        }
        List<Point> points = plan.space().pool(SimulationMapper.MAX_POOL, new java.util.SplittableRandom(seed));
        PredictionReader.Predicted predicted = predictionReader.predict(ApiException.id(field, modelId).toString(),
                points.stream().map(Point::composition).toList(), field);
        if (!predicted.property().equals(property)) {
            throw ApiException.invalid(field, "model " + modelId + " predicts " + predicted.property() + ", not "
                    + property);
        }
        java.util.Random noise = new java.util.Random(seed);
        CandidatePoolOracle.Builder pool = CandidatePoolOracle.newBuilder();
        for (int i = 0; i < points.size(); i++) {
            double value = predicted.mean()[i];
            if (spec.getModel().getSampleNoise()) {
                value += predicted.std()[i] * noise.nextGaussian();
            }
            pool.addRows(LabelledCandidate.newBuilder().setCandidate(Documents.candidateMessage(points.get(i)))
                    .addValues(ObjectiveValue.newBuilder().setProperty(property)
                            .setValue(Quantity.newBuilder().setValue(value).setUnit(predicted.unit()))));
        }
        return pool.build();
    }

    /**
     * The strategy's prediction model over the simulation's pool, asked once as the caller (a model
     * the caller may not see is NOT_FOUND), in the objective's unit: every run then conditions its
     * residual process on what it has evaluated, as the campaign would.
     */
    private ModelPrior modelPrior(SimulationService.Request simulation) {
        Plan.Objective objective = simulation.plan().objectives().get(0);
        String modelId = simulation.plan().models().get(objective.property());
        String field = "spec.campaign.surrogate.prediction_model.model_ids[" + objective.property() + "]";
        predictionReader.requireModelOf(modelId, objective.property(), field);
        PredictionReader.Predicted predicted = predictionReader.predict(modelId, simulation.compositions(), field)
                .in(objective.unit(), modelId);
        return Plan.prior(objective, predicted.mean(), predicted.std());
    }

    @Override
    public Uni<ListCampaignsResponse> listCampaigns(ListCampaignsRequest request) {
        return Work.blocking(() -> {
            int offset = offset(request.getPage(), "page.page_token");
            int size = size(request.getPage());
            String status = request.getStatus() == CampaignStatus.CAMPAIGN_STATUS_UNSPECIFIED ? ""
                    : CampaignMapper.status(request.getStatus());
            List<org.mihub.planning.service.CampaignView> views = campaigns.list(CallerContext.current(), request.getOwnerOrg(),
                    status, request.getText(), offset, size + 1);
            ListCampaignsResponse.Builder response = ListCampaignsResponse.newBuilder();
            views.stream().limit(size).forEach(view -> response.addCampaigns(CampaignMapper.campaign(view)));
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(-1)
                    .setNextPageToken(views.size() > size ? Integer.toString(offset + size) : "")).build();
        });
    }

    @Override
    public Uni<Campaign> getCampaign(GetCampaignRequest request) {
        return Work.blocking(() -> CampaignMapper.campaign(campaigns.get(CallerContext.current(),
                ApiException.id("id", request.getId()), request.getView() != CampaignView.CAMPAIGN_VIEW_SUMMARY)));
    }

    @Override
    public Uni<org.mihub.api.planning.v1.Recommendation> getRecommendation(
            org.mihub.api.planning.v1.GetRecommendationRequest request) {
        return Work.blocking(() -> CampaignMapper.recommendation(recommender.recommend(CallerContext.current(),
                ApiException.id("campaign_id", request.getCampaignId()),
                request.hasStopThreshold() ? request.getStopThreshold() : null)));
    }

    @Override
    public Uni<Campaign> updateCampaignStatus(UpdateCampaignStatusRequest request) {
        return Work.blocking(() -> {
            Caller caller = CallerContext.require();
            UUID id = ApiException.id("id", request.getId());
            if (request.getStatus() == CampaignStatus.CAMPAIGN_STATUS_UNSPECIFIED
                    || request.getStatus() == CampaignStatus.UNRECOGNIZED) {
                throw ApiException.invalid("status", "ACTIVE, PAUSED, COMPLETED or CANCELLED");
            }
            return CampaignMapper.campaign(campaigns.updateStatus(caller, id, CampaignMapper.status(request.getStatus()),
                    request.getReason()));
        });
    }

    @Override
    public Uni<ProposeBatchResponse> proposeBatch(ProposeBatchRequest request) {
        return Work.blocking(() -> {
            Caller caller = CallerContext.require();
            UUID id = ApiException.id("campaign_id", request.getCampaignId());
            Batch batch = proposer.propose(caller, id,
                    request.hasBatchSize() ? request.getBatchSize() : null, request.getRequestId());
            return CampaignMapper.batch(batch);
        });
    }

    @Override
    public Uni<ReportResultsResponse> reportResults(ReportResultsRequest request) {
        return Work.blocking(() -> {
            Caller caller = CallerContext.require();
            UUID id = ApiException.id("campaign_id", request.getCampaignId());
            Results.Told told = recorder.report(caller, id, CampaignMapper.results(request.getResultsList()));
            Campaign campaign = CampaignMapper.campaign(told.campaign());
            ReportResultsResponse.Builder response = ReportResultsResponse.newBuilder()
                    .setProgress(campaign.getProgress()).addAllParetoFront(campaign.getParetoFrontList())
                    .setStatus(campaign.getStatus());
            if (campaign.hasBest()) {
                response.setBest(campaign.getBest());
            }
            told.acks().forEach(ack -> response.addAcks(CampaignMapper.ack(ack)));
            return response.build();
        });
    }

    @Override
    public Uni<ListProposalsResponse> listProposals(ListProposalsRequest request) {
        return Work.blocking(() -> {
            UUID id = ApiException.id("campaign_id", request.getCampaignId());
            int offset = offset(request.getPage(), "page.page_token");
            int size = size(request.getPage());
            String state = request.getState() == ProposalState.PROPOSAL_STATE_UNSPECIFIED ? ""
                    : request.getState().name().substring("PROPOSAL_STATE_".length());
            Optional<Caller> caller = CallerContext.current();
            var proposals = campaigns.proposals(caller, id, state, offset, size + 1);
            Plan plan = campaigns.get(caller, id, false).plan();
            ListProposalsResponse.Builder response = ListProposalsResponse.newBuilder();
            proposals.stream().limit(size).forEach(p -> response.addProposals(CampaignMapper.proposal(plan, p)));
            return response.setPageInfo(PageInfo.newBuilder().setTotalSize(-1)
                    .setNextPageToken(proposals.size() > size ? Integer.toString(offset + size) : "")).build();
        });
    }

    @Override
    public Uni<Job> startSimulation(StartSimulationRequest request) {
        return Work.blocking(() -> {
            Caller caller = CallerContext.require();
            SimulationSpec spec = request.getSpec();
            CampaignSpec strategy = switch (spec.getStrategyCase()) {
                case CAMPAIGN_ID -> Documents.spec(campaigns.get(Optional.of(caller),
                        ApiException.id("spec.campaign_id", spec.getCampaignId()), false).record().spec());
                case CAMPAIGN -> spec.getCampaign();
                default -> throw ApiException.invalid("spec.strategy", "give a campaign_id or an inline campaign");
            };
            SimulationMapper.precheck(spec, strategy);
            var recorded = spec.hasDataset()
                    ? catalogReader.oracle(ApiException.id("spec.dataset.dataset.dataset_id",
                            spec.getDataset().getDataset().getDatasetId()).toString(),
                            spec.getDataset().getDataset().hasVersion() ? spec.getDataset().getDataset().getVersion()
                                    : null, strategy.getObjectivesList().stream().map(o -> o.getProperty()).toList())
                    : spec.hasModel() ? modelPool(spec, strategy) : null;
            SimulationService.Request simulation = SimulationMapper.request(spec, strategy, recorded);
            // random selection needs no surrogate (as in a campaign, whose random batches ask no model)
            if (simulation.plan().modelSurrogate()
                    && simulation.plan().acquisition().function() != Acquisition.Function.RANDOM) {
                simulation = simulation.withPrior(modelPrior(simulation));
            }
            return SimulationMapper.job(simulations.start(caller, simulation,
                    SimulationMapper.reportWriter(spec, simulation)));
        });
    }

    @Override
    public Uni<Simulation> getSimulation(GetSimulationRequest request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> SimulationMapper.simulation(simulations.job(caller,
                ApiException.id("id", request.getId())), request.getIncludeRuns()));
    }

    @Override
    public Uni<Job> getJob(JobRef request) {
        Optional<Caller> caller = CallerContext.current();
        return Work.blocking(() -> SimulationMapper.job(simulations.job(caller,
                ApiException.id("job_id", request.getJobId()))));
    }

    @Override
    public Multi<Job> watchJob(JobRef request) {
        Optional<Caller> caller = CallerContext.current();
        UUID id;
        try {
            id = ApiException.id("job_id", request.getJobId());
        } catch (ApiException e) {
            return Multi.createFrom().failure(GrpcErrors.toStatus(e));
        }
        // a poll every half second, repeated states skipped; "whilst" also emits the finished job
        return Multi.createBy().repeating()
                .uni(() -> Work.blocking(() -> SimulationMapper.job(simulations.job(caller, id))))
                .withDelay(Duration.ofMillis(500))
                .whilst(job -> job.getState() == JobState.QUEUED || job.getState() == JobState.RUNNING)
                .skip().repetitions();
    }

    @Override
    public Uni<Job> cancelJob(JobRef request) {
        return Work.blocking(() -> SimulationMapper.job(simulations.cancel(CallerContext.require(),
                ApiException.id("job_id", request.getJobId()))));
    }

    /** Marks the end of a lab session's replies (never sent): the stream completes after "finished". */
    private static final LabServerMessage END = LabServerMessage.getDefaultInstance();

    @Override
    public Multi<LabServerMessage> connectLab(Multi<LabClientMessage> request) {
        io.grpc.Context context = io.grpc.Context.current();
        Optional<Caller> caller = CallerContext.current();
        LabSessions.Session session = new LabSessions.Session();
        return request.onItem().transformToMultiAndConcatenate(message -> Uni.createFrom().item(() -> {
            io.grpc.Context previous = context.attach();
            try {
                Caller who = caller.orElseThrow(() -> io.grpc.Status.UNAUTHENTICATED
                        .withDescription("a valid access token is required").asRuntimeException());
                List<LabSessions.Event> events = switch (message.getPayloadCase()) {
                    case HELLO -> lab.hello(session, who, message.getHello().getCampaignId(),
                            message.getHello().getRobotId(), message.getHello().getCapacity(),
                            message.getHello().getResume());
                    case RESULT -> lab.result(session, who,
                            CampaignMapper.results(List.of(message.getResult())).get(0));
                    case CAPACITY -> lab.capacity(session, who, message.getCapacity().getCapacity());
                    default -> throw ApiException.invalid("payload", "hello, result or capacity");
                };
                List<LabServerMessage> replies = new java.util.ArrayList<>();
                for (LabSessions.Event event : events) {
                    replies.add(CampaignMapper.lab(event));
                    if (event instanceof LabSessions.Finished) {
                        replies.add(END);
                    }
                }
                return replies;
            } finally {
                context.detach(previous);
            }
        }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .onFailure().transform(GrpcErrors::toStatus)
                .onItem().transformToMulti(replies -> Multi.createFrom().iterable(replies)))
                .select().first(reply -> reply != END);
    }

    static int offset(PageRequest page, String field) {
        if (page.getPageToken().isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(page.getPageToken());
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "'" + page.getPageToken() + "' is not a page token from this service");
        }
    }

    static int size(PageRequest page) {
        if (page.getPageSize() < 0) {
            throw ApiException.invalid("page.page_size", "must not be negative");
        }
        return page.getPageSize() == 0 ? DEFAULT_PAGE : Math.min(page.getPageSize(), MAX_PAGE);
    }
}

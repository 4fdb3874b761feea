package org.mihub.planning.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.AcquisitionSpec;
import org.mihub.api.planning.v1.Budget;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.CompositionSpace;
import org.mihub.api.planning.v1.Constraint;
import org.mihub.api.planning.v1.ConstraintRelation;
import org.mihub.api.planning.v1.ContinuousDomain;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.DesignSpace;
import org.mihub.api.planning.v1.ElementBound;
import org.mihub.api.planning.v1.FailedResult;
import org.mihub.api.planning.v1.GetCampaignRequest;
import org.mihub.api.planning.v1.LinearConstraint;
import org.mihub.api.planning.v1.LinearTerm;
import org.mihub.api.planning.v1.ListCampaignsRequest;
import org.mihub.api.planning.v1.ListProposalsRequest;
import org.mihub.api.planning.v1.MeasuredResult;
import org.mihub.api.planning.v1.NChooseKConstraint;
import org.mihub.api.planning.v1.Objective;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.PlanningServiceGrpc;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.api.planning.v1.Proposal;
import org.mihub.api.planning.v1.ProposalResult;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.ReportResultsResponse;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;
import org.mihub.api.planning.v1.Variable;
import org.mihub.common.testing.PostgresResource;

import com.google.rpc.BadRequest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * The ask/tell loop over gRPC on a real PostgreSQL with real token validation: a composition and
 * process space under exact constraints, random initial designs, Gaussian-process proposals that
 * respect pending ones, results with failures, idempotent batches, the budget, all-or-nothing
 * reports, and who may see and do what.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "planning"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class PlanningGrpcTest {

    private static final String ACME = token("dave", "acme", "member");
    // a data role but not member: reads its organisation's campaigns, may not drive them (no role at all reads nothing)
    private static final String ACME_READER = token("rita", "acme", "contributor");
    private static final String KANSAI = token("bob", "kansai-u", "member", "contributor");
    private static final String ADMIN = token("carol", "hub", "member", "admin");
    private static final String TOHOKU = token("tom", "tohoku", "member");

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18083).usePlaintext().build();
    private CatalogStandIn catalog;

    @org.junit.jupiter.api.BeforeAll
    void startCatalog() throws Exception {
        catalog = new CatalogStandIn(18181);
    }

    public static String token(String subject, String org, String... roles) {
        return Jwt.subject(subject).preferredUserName(subject).claim("org", org)
                .claim("realm_access", Map.of("roles", List.of(roles))).issuer("https://server.example.com")
                .audience("mihub").expiresAt(Instant.now().plusSeconds(600)).sign();
    }

    private PlanningServiceGrpc.PlanningServiceBlockingStub as(String token) {
        var stub = PlanningServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterAll
    void close() {
        catalog.close();
        channel.shutdownNow();
    }

    /** Fe–Ni–Cu fractions on a 0.1 grid, at most two elements, Fe + Ni ≥ 0.5, and an anneal temperature. */
    private static CampaignSpec spec(String name, int budget) {
        return CampaignSpec.newBuilder().setName(name).setDescription("alloy hardness screening")
                .addObjectives(Objective.newBuilder().setProperty("hardness")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE).setUnit("GPa"))
                .setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                        .addElements(ElementBound.newBuilder().setElement("Fe").setMaxFraction(1))
                        .addElements(ElementBound.newBuilder().setElement("Ni").setMaxFraction(1))
                        .addElements(ElementBound.newBuilder().setElement("Cu").setMaxFraction(0.6)).setStep(0.1)
                        .setMaxElements(2))
                        .addParameters(ProcessParameter.newBuilder().setName("anneal_temperature").setUnit("Cel")
                                .setStepKind("anneal").setStepParameter("temperature")
                                .setContinuous(ContinuousDomain.newBuilder().setMin(300).setMax(900).setStep(100))))
                .addConstraints(Constraint.newBuilder().setName("ferromagnetic share")
                        .setLinear(LinearConstraint.newBuilder()
                                .addTerms(LinearTerm.newBuilder().setVariable(Variable.newBuilder().setElement("Fe"))
                                        .setCoefficient(1))
                                .addTerms(LinearTerm.newBuilder().setVariable(Variable.newBuilder().setElement("Ni"))
                                        .setCoefficient(1))
                                .setRelation(ConstraintRelation.CONSTRAINT_RELATION_GREATER_EQUAL).setRhs(0.5)))
                .addConstraints(Constraint.newBuilder().setName("binary at most").setNChooseK(NChooseKConstraint
                        .newBuilder().addVariables(Variable.newBuilder().setElement("Fe"))
                        .addVariables(Variable.newBuilder().setElement("Ni"))
                        .addVariables(Variable.newBuilder().setElement("Cu")).setMaxPresent(2)))
                .setBudget(Budget.newBuilder().setMaxExperiments(budget))
                .setAcquisition(AcquisitionSpec.newBuilder()
                        .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT).setBatchSize(3))
                .setInitialRandomPoints(3).setSeed(42).build();
    }

    /** The "lab": hardness peaks at Fe0.7Ni0.3 annealed at 600 °C. */
    private static double hardness(Proposal proposal) {
        Map<String, Double> c = proposal.getCandidate().getCompositionMap();
        double fe = c.getOrDefault("Fe", 0.0);
        double t = proposal.getCandidate().getParametersMap().get("anneal_temperature").getNumber();
        return 5 - 8 * (fe - 0.7) * (fe - 0.7) - 1e-5 * (t - 600) * (t - 600);
    }

    private static ProposalResult measured(Proposal proposal, double value, String unit) {
        return ProposalResult.newBuilder().setProposalId(proposal.getId())
                .setMeasured(MeasuredResult.newBuilder().addValues(ObjectiveValue.newBuilder().setProperty("hardness")
                        .setValue(Quantity.newBuilder().setValue(value).setUnit(unit))))
                .build();
    }

    private static void assertFeasible(Proposal proposal) {
        Map<String, Double> c = proposal.getCandidate().getCompositionMap();
        double sum = c.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-9, "fractions sum to one");
        assertTrue(c.getOrDefault("Fe", 0.0) + c.getOrDefault("Ni", 0.0) >= 0.5 - 1e-9, "Fe + Ni >= 0.5");
        assertTrue(c.values().stream().filter(v -> v > 0).count() <= 2, "at most two elements");
        assertTrue(c.getOrDefault("Cu", 0.0) <= 0.6 + 1e-9);
        for (double v : c.values()) {
            assertEquals(0, Math.abs(v * 10 - Math.rint(v * 10)), 1e-6, "on the 0.1 grid");
        }
        double t = proposal.getCandidate().getParametersMap().get("anneal_temperature").getNumber();
        assertTrue(t >= 300 && t <= 900 && Math.abs((t - 300) % 100) < 1e-9, "temperature on its grid");
    }

    private static BadRequest details(StatusRuntimeException e) throws Exception {
        var status = StatusProto.fromThrowable(e);
        for (var any : status.getDetailsList()) {
            if (any.is(BadRequest.class)) {
                return any.unpack(BadRequest.class);
            }
        }
        return BadRequest.getDefaultInstance();
    }

    @Test
    void aRecommendationIsTheBestPredictedFeasibleDesignWithItsIntervalAndStopHintForTheOwnerOnly() throws Exception {
        String id = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec("recommend", 12)).build())
                .getId();
        var early = assertThrows(StatusRuntimeException.class, () -> as(ACME).getRecommendation(
                org.mihub.api.planning.v1.GetRecommendationRequest.newBuilder().setCampaignId(id).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, early.getStatus().getCode(), "nothing observed yet");

        ProposeBatchResponse batch = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id).build());
        var report = ReportResultsRequest.newBuilder().setCampaignId(id);
        batch.getProposalsList().forEach(p -> report.addResults(measured(p, hardness(p), "GPa")));
        as(ACME).reportResults(report.build());

        var recommendation = as(ACME).getRecommendation(org.mihub.api.planning.v1.GetRecommendationRequest.newBuilder()
                .setCampaignId(id).setStopThreshold(1e9).build());
        assertEquals(id, recommendation.getCampaignId());
        assertEquals(3, recommendation.getObservations());
        assertTrue(recommendation.getCandidatesScored() > 0);
        Proposal asProposal = Proposal.newBuilder().setCandidate(recommendation.getCandidate()).build();
        assertFeasible(asProposal);
        double mean = recommendation.getPrediction().getMean();
        assertEquals("GPa", recommendation.getPrediction().getUnit());
        assertTrue(recommendation.getIntervalLower() <= mean && mean <= recommendation.getIntervalUpper());
        assertEquals(1.96 * recommendation.getPrediction().getStd(), recommendation.getIntervalUpper() - mean, 1e-9);
        assertTrue(recommendation.getStop(), "any improvement left is below a huge threshold");
        assertTrue(recommendation.getMaxExpectedImprovement() >= 0);

        var negative = assertThrows(StatusRuntimeException.class, () -> as(ACME).getRecommendation(
                org.mihub.api.planning.v1.GetRecommendationRequest.newBuilder().setCampaignId(id)
                        .setStopThreshold(-1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, negative.getStatus().getCode());
        assertEquals("stop_threshold", details(negative).getFieldViolations(0).getField());
        var hidden = assertThrows(StatusRuntimeException.class, () -> as(KANSAI).getRecommendation(
                org.mihub.api.planning.v1.GetRecommendationRequest.newBuilder().setCampaignId(id).build()));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode(), "another organisation's campaign");
    }

    @Test
    void anOutcomeConstraintOnAnUnknownPropertyOrInAnIncompatibleUnitIsRefusedNamingTheField() throws Exception {
        for (var constraint : List.of(
                org.mihub.api.planning.v1.OutcomeConstraint.newBuilder().setProperty("unobtainium_index")
                        .setUpper(Quantity.newBuilder().setValue(8).setUnit("g/cm3")),
                org.mihub.api.planning.v1.OutcomeConstraint.newBuilder().setProperty("hardness")
                        .setUpper(Quantity.newBuilder().setValue(8).setUnit("eV")))) {
            var refused = assertThrows(StatusRuntimeException.class, () -> as(ACME).createCampaign(
                    CreateCampaignRequest.newBuilder().setSpec(spec("constrained", 9).toBuilder()
                            .addOutcomeConstraints(constraint)).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), constraint.toString());
            assertTrue(details(refused).getFieldViolationsList().stream()
                    .anyMatch(v -> v.getField().startsWith("spec.outcome_constraints[0]")), details(refused).toString());
        }
    }

    /** Where results go is checked when the campaign is created, not after the first experiment was done. */
    @Test
    void aResultsDatasetTheCreatorCannotSeeOrWriteIsRefusedAtCreation() throws Exception {
        String hidden = UUID.randomUUID().toString();
        var unseen = assertThrows(StatusRuntimeException.class, () -> as(KANSAI).createCampaign(CreateCampaignRequest
                .newBuilder().setSpec(spec("results elsewhere", 6).toBuilder().setResultsDatasetId(hidden)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, unseen.getStatus().getCode());
        assertEquals("spec.results_dataset_id", details(unseen).getFieldViolations(0).getField());
        assertTrue(unseen.getStatus().getDescription().contains("no dataset '" + hidden + "' that you can see"),
                unseen.getStatus().getDescription());

        String acmes = UUID.randomUUID().toString();
        catalog.visible.put(acmes, "acme");
        var readOnly = assertThrows(StatusRuntimeException.class, () -> as(KANSAI).createCampaign(CreateCampaignRequest
                .newBuilder().setSpec(spec("results at acme", 6).toBuilder().setResultsDatasetId(acmes)).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, readOnly.getStatus().getCode());
        assertTrue(readOnly.getStatus().getDescription().contains("needs the role 'contributor' in 'acme'"),
                readOnly.getStatus().getDescription());

        String own = UUID.randomUUID().toString();
        catalog.visible.put(own, "kansai-u");
        Campaign accepted = as(KANSAI).createCampaign(CreateCampaignRequest.newBuilder()
                .setSpec(spec("results at home", 6).toBuilder().setResultsDatasetId(own)).build());
        assertEquals(own, accepted.getSpec().getResultsDatasetId());
    }

    /** An objective's unit must be one of its property's kind (the catalog's vocabulary says which). */
    @Test
    void anObjectiveInAUnitOfAnotherKindIsRefusedAtCreation() throws Exception {
        CampaignSpec kelvin = spec("hardness in kelvin", 6).toBuilder()
                .setObjectives(0, spec("x", 6).getObjectives(0).toBuilder().setUnit("K")).build();
        var refused = assertThrows(StatusRuntimeException.class, () -> as(ACME).createCampaign(CreateCampaignRequest
                .newBuilder().setSpec(kelvin).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("spec.objectives[0].unit", details(refused).getFieldViolations(0).getField());
        assertEquals("'K' is not a unit of hardness, which is measured in GPa",
                details(refused).getFieldViolations(0).getDescription());
        CampaignSpec megapascal = spec("hardness in MPa", 6).toBuilder()
                .setObjectives(0, spec("x", 6).getObjectives(0).toBuilder().setUnit("MPa")).build();
        assertEquals("MPa", as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(megapascal).build())
                .getSpec().getObjectives(0).getUnit(), "any unit of the property's kind is accepted");
    }

    @Test
    void theLoopProposesFeasibleDesignsLearnsFromResultsAndStopsAtTheBudget() throws Exception {
        // the stand-in catalog serves every test: count what this campaign writes
        int datasetsBefore = catalog.datasets.size();
        int materialsBefore = catalog.materials.size();
        Campaign campaign = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec("FeNiCu", 9))
                .build());
        assertEquals(CampaignStatus.CAMPAIGN_STATUS_ACTIVE, campaign.getStatus());
        assertEquals("acme", campaign.getOwnerOrg());
        assertEquals(42, campaign.getSpec().getSeed());
        String id = campaign.getId();

        ProposeBatchResponse first = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id)
                .setRequestId("robot-1/batch-1").build());
        assertEquals(3, first.getProposalsCount());
        first.getProposalsList().forEach(PlanningGrpcTest::assertFeasible);
        first.getProposalsList().forEach(p -> assertEquals(AcquisitionFunction.ACQUISITION_FUNCTION_RANDOM,
                p.getAcquisitionFunction(), "the initial design is random"));
        ProposeBatchResponse retried = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id)
                .setRequestId("robot-1/batch-1").build());
        assertEquals(first.getBatchId(), retried.getBatchId(), "a retried request returns the same batch");
        assertEquals(first.getProposalsList().stream().map(Proposal::getId).toList(),
                retried.getProposalsList().stream().map(Proposal::getId).toList());

        // a wrong unit fails the whole report and records nothing
        StatusRuntimeException wrongUnit = assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                        .addResults(measured(first.getProposals(0), hardness(first.getProposals(0)), "GPa"))
                        .addResults(measured(first.getProposals(1), 4.0, "eV")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, wrongUnit.getStatus().getCode());
        assertEquals("results[1].measured.values[0].unit", details(wrongUnit).getFieldViolations(0).getField());
        assertEquals(3, as(ACME).getCampaign(GetCampaignRequest.newBuilder().setId(id).build()).getProgress()
                .getPending(), "nothing was recorded");

        ReportResultsResponse told = as(ACME).reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                .addResults(measured(first.getProposals(0), hardness(first.getProposals(0)), "GPa"))
                .addResults(measured(first.getProposals(1), 1000 * hardness(first.getProposals(1)), "MPa"))
                .addResults(ProposalResult.newBuilder().setProposalId(first.getProposals(2).getId())
                        .setFailed(FailedResult.newBuilder().setReason("sample cracked during quench")))
                .build());
        assertEquals(2, told.getProgress().getCompleted());
        assertEquals(1, told.getProgress().getFailed());
        assertTrue(told.hasBest());
        // a value in MPa was converted into the objective's GPa
        Campaign afterTell = as(ACME).getCampaign(GetCampaignRequest.newBuilder().setId(id).build());
        assertEquals(hardness(first.getProposals(1)), afterTell.getHistory(1).getResult().getMeasured().getValues(0)
                .getValue().getValue() / 1000, 1e-9);
        assertTrue(java.util.stream.Stream.of(afterTell.getBest()).allMatch(b -> b.getValues(0).getValue().getUnit()
                .equals("GPa")));
        // the two measured results went to the catalog as the caller, into the campaign's new dataset
        assertEquals(datasetsBefore + 1, catalog.datasets.size());
        assertEquals("acme", catalog.datasets.get(datasetsBefore).getOwnerOrg());
        assertEquals(materialsBefore + 2, catalog.materials.size());
        assertTrue(catalog.tokens.stream().allMatch(t -> t.equals("Bearer " + ACME)), "the caller's token is relayed");
        var written = catalog.materials.get(materialsBefore);
        assertEquals(id, written.getMeasurements(0).getCampaignId());
        assertEquals(first.getProposals(0).getId(), written.getMeasurements(0).getProposalId());
        assertEquals("GPa", written.getMeasurements(0).getValue().getUnit());
        assertEquals("anneal", written.getProcessSteps(0).getKind(), "the step kind the spec names");
        assertEquals("temperature", written.getProcessSteps(0).getParameters(0).getName());
        assertEquals("Cel", written.getProcessSteps(0).getParameters(0).getQuantity().getUnit());
        // the acknowledgements and the proposals name the catalog material and measurements written;
        // a failure names none, and the campaign's spec names the results dataset the planner created
        assertEquals(written.getId(), told.getAcks(0).getMaterialId());
        assertEquals(List.of(written.getMeasurements(0).getId()), told.getAcks(0).getMeasurementIdsList());
        assertEquals(catalog.materials.get(materialsBefore + 1).getId(), told.getAcks(1).getMaterialId());
        assertEquals(1, told.getAcks(1).getMeasurementIdsCount());
        assertEquals("", told.getAcks(2).getMaterialId(), "a failed result wrote no material");
        assertEquals(0, told.getAcks(2).getMeasurementIdsCount());
        assertEquals(written.getId(), afterTell.getHistory(0).getMaterialId());
        assertEquals(told.getAcks(0).getMeasurementIdsList(), afterTell.getHistory(0).getMeasurementIdsList());
        assertEquals(written.getDatasetId(), afterTell.getSpec().getResultsDatasetId());
        assertFalse(afterTell.getSpec().getResultsDatasetId().isEmpty());
        // the same report again changes nothing; a different one for a resolved proposal is refused
        ReportResultsResponse again = as(ACME).reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                .addResults(measured(first.getProposals(0), hardness(first.getProposals(0)), "GPa")).build());
        assertTrue(again.getAcks(0).getDuplicate());
        assertEquals(written.getId(), again.getAcks(0).getMaterialId(), "a duplicate names what the first wrote");
        StatusRuntimeException changed = assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                        .addResults(measured(first.getProposals(0), 1.0, "GPa")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, changed.getStatus().getCode());

        // still fewer than 3 observations: random again, never the failed or already measured designs
        Set<String> seen = new HashSet<>();
        first.getProposalsList().forEach(p -> seen.add(p.getCandidate().getId()));
        ProposeBatchResponse second = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id)
                .setBatchSize(2).build());
        assertEquals(2, second.getProposalsCount());
        for (Proposal p : second.getProposalsList()) {
            assertFeasible(p);
            assertTrue(seen.add(p.getCandidate().getId()), "no design is proposed twice");
        }
        // the catalog refuses: nothing is recorded here either
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .reportResults(ReportResultsRequest.newBuilder().setCampaignId(id).addResults(
                        measured(second.getProposals(0), 3.0, "GPa").toBuilder().setInstrument("refuse-me")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals(2, as(ACME).listProposals(ListProposalsRequest.newBuilder().setCampaignId(id)
                .setState(ProposalState.PROPOSAL_STATE_PENDING).build()).getProposalsCount());
        as(ACME).reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                .addResults(measured(second.getProposals(0), hardness(second.getProposals(0)), "GPa")).build());
        assertEquals(materialsBefore + 3, catalog.materials.size());
        assertEquals(datasetsBefore + 1, catalog.datasets.size(), "the dataset is created once");

        // three observations: the Gaussian process takes over, with the pending proposal as a fantasy
        ProposeBatchResponse third = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id)
                .build());
        assertEquals(3, third.getProposalsCount());
        assertEquals(1, third.getFitsCount());
        assertEquals(4, third.getFits(0).getLengthScalesCount(), "Fe, Ni, Cu and temperature");
        assertTrue(third.getCandidatesScored() > 50);
        for (Proposal p : third.getProposalsList()) {
            assertFeasible(p);
            assertEquals(AcquisitionFunction.ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT, p.getAcquisitionFunction());
            assertEquals(1, p.getPredictionsCount());
            assertEquals("GPa", p.getPredictions(0).getUnit());
            assertTrue(p.getPredictions(0).getStd() > 0);
            assertTrue(seen.add(p.getCandidate().getId()), "pending and earlier designs are not proposed again");
        }
        assertEquals(8, third.getProgress().getProposed());
        assertEquals(1, third.getProgress().getExperimentsRemaining());

        // the budget shortens the next batch to one, then the campaign completes
        ProposeBatchResponse last = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id)
                .setBatchSize(5).build());
        assertEquals(1, last.getProposalsCount());
        StatusRuntimeException spent = assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, spent.getStatus().getCode());
        Campaign full = as(ACME).getCampaign(GetCampaignRequest.newBuilder().setId(id)
                .setView(CampaignView.CAMPAIGN_VIEW_FULL).build());
        assertEquals(CampaignStatus.CAMPAIGN_STATUS_COMPLETED, full.getStatus());
        assertEquals(9, full.getHistoryCount());
        // results of pending proposals are still accepted after completion
        ReportResultsResponse late = as(ACME).reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                .addResults(measured(last.getProposals(0), hardness(last.getProposals(0)), "GPa")).build());
        assertEquals(ProposalState.PROPOSAL_STATE_COMPLETED, late.getAcks(0).getState());
        assertEquals(4, as(ACME).listProposals(ListProposalsRequest.newBuilder().setCampaignId(id)
                .setState(ProposalState.PROPOSAL_STATE_PENDING).build()).getProposalsCount());
    }

    /**
     * A campaign created on another's results (spec.prior_data) answers the observations it took from
     * them, not only their count (the create answer used to say 2 with prior_observations empty).
     */
    @Test
    void aCampaignCreatedOnPriorDataAnswersTheObservationsItStored() throws Exception {
        Campaign earlier = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec("FeNiCu priors", 6))
                .build());
        ProposeBatchResponse batch = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder()
                .setCampaignId(earlier.getId()).setBatchSize(3).build());
        as(ACME).reportResults(ReportResultsRequest.newBuilder().setCampaignId(earlier.getId())
                .addResults(measured(batch.getProposals(0), hardness(batch.getProposals(0)), "GPa"))
                .addResults(measured(batch.getProposals(1), 1000 * hardness(batch.getProposals(1)), "MPa"))
                .addResults(ProposalResult.newBuilder().setProposalId(batch.getProposals(2).getId())
                        .setFailed(FailedResult.newBuilder().setReason("furnace fault")))
                .build());
        String results = as(ACME).getCampaign(GetCampaignRequest.newBuilder().setId(earlier.getId()).build()).getSpec()
                .getResultsDatasetId();
        assertFalse(results.isEmpty());

        Campaign created = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec("FeNiCu on priors", 6)
                .toBuilder().addPriorData(org.mihub.api.prediction.v1.DatasetRef.newBuilder().setDatasetId(results)))
                .build());
        assertEquals(2, created.getProgress().getObservations(), "the two measured results, not the failure");
        assertEquals(2, created.getPriorObservationsCount(), "the answer shows what it counts: " + created);
        for (int i = 0; i < 2; i++) {
            var prior = created.getPriorObservations(i);
            assertEquals("", prior.getProposalId(), "prior data answers no proposal of this campaign");
            Map<String, Double> proposed = batch.getProposals(i).getCandidate().getCompositionMap();
            Map<String, Double> observed = prior.getCandidate().getCompositionMap();
            for (String element : Set.of("Fe", "Ni", "Cu")) {
                assertEquals(proposed.getOrDefault(element, 0.0), observed.getOrDefault(element, 0.0), 1e-6,
                        element + " of " + observed);
            }
            assertEquals(batch.getProposals(i).getCandidate().getParametersMap().get("anneal_temperature").getNumber(),
                    prior.getCandidate().getParametersMap().get("anneal_temperature").getNumber(), 1e-9);
            assertEquals(hardness(batch.getProposals(i)), prior.getValues(0).getValue().getValue(), 1e-9);
            assertEquals("GPa", prior.getValues(0).getValue().getUnit(), "in the objective's unit");
        }
        assertEquals(created.getPriorObservationsList(), as(ACME).getCampaign(GetCampaignRequest.newBuilder()
                .setId(created.getId()).setView(CampaignView.CAMPAIGN_VIEW_FULL).build()).getPriorObservationsList(),
                "the create answer and a later read agree");
    }

    @Test
    void aBadSpecIsRefusedWithEveryFieldNamedAndNothingStored() throws Exception {
        CampaignSpec bad = spec("bad", 5).toBuilder()
                .setDesignSpace(spec("bad", 5).getDesignSpace().toBuilder().setComposition(spec("bad", 5)
                        .getDesignSpace().getComposition().toBuilder()
                        .setElements(1, ElementBound.newBuilder().setElement("Xx").setMaxFraction(1)).setStep(0.3)))
                .setObjectives(0, Objective.newBuilder().setProperty("hardness")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_TARGET))
                .build();
        int before = as(ADMIN).listCampaigns(ListCampaignsRequest.getDefaultInstance()).getCampaignsCount();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(bad).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        List<String> fields = details(e).getFieldViolationsList().stream().map(v -> v.getField()).toList();
        assertTrue(fields.contains("spec.objectives[0].target"), fields.toString());
        assertTrue(fields.contains("spec.design_space.composition.elements[1].element"), fields.toString());
        assertTrue(fields.contains("spec.design_space.composition.step"), fields.toString());
        assertEquals(before, as(ADMIN).listCampaigns(ListCampaignsRequest.getDefaultInstance()).getCampaignsCount());
        // bounds no composition can meet
        CampaignSpec empty = spec("empty", 5).toBuilder().setDesignSpace(DesignSpace.newBuilder().setComposition(
                CompositionSpace.newBuilder().addElements(ElementBound.newBuilder().setElement("Fe").setMaxFraction(0.4))
                        .addElements(ElementBound.newBuilder().setElement("Ni").setMaxFraction(0.4)))).clearConstraints()
                .build();
        StatusRuntimeException infeasible = assertThrows(StatusRuntimeException.class,
                () -> as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(empty).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, infeasible.getStatus().getCode());
    }

    /** The "lab"'s second property: yield strength peaks at Fe0.3, against hardness at Fe0.7. */
    private static double strength(Proposal proposal) {
        double fe = proposal.getCandidate().getCompositionMap().getOrDefault("Fe", 0.0);
        return 800 - 500 * (fe - 0.3) * (fe - 0.3);
    }

    @Test
    void twoObjectivesByExpectedHypervolumeImprovementProposeFeasibleBatchesAlongTheFront() throws Exception {
        CampaignSpec one = spec("one objective", 6).toBuilder().setAcquisition(AcquisitionSpec.newBuilder()
                .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT)).build();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(one).build()));
        assertEquals("spec.acquisition.function", details(refused).getFieldViolations(0).getField());

        CampaignSpec two = spec("hard and strong", 12).toBuilder()
                .addObjectives(Objective.newBuilder().setProperty("yield_strength")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE).setUnit("MPa"))
                .setAcquisition(AcquisitionSpec.newBuilder().setBatchSize(3)
                        .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT))
                .build();
        String id = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(two).build()).getId();
        for (int batch = 0; batch < 4; batch++) {
            ProposeBatchResponse proposed = as(ACME).proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id)
                    .build());
            assertEquals(3, proposed.getProposalsCount());
            assertEquals(3, proposed.getProposalsList().stream().map(p -> p.getCandidate().getId()).distinct().count(),
                    "a batch holds three different designs");
            var report = ReportResultsRequest.newBuilder().setCampaignId(id);
            for (Proposal p : proposed.getProposalsList()) {
                assertFeasible(p);
                if (batch > 0) {
                    assertEquals(AcquisitionFunction.ACQUISITION_FUNCTION_EXPECTED_HYPERVOLUME_IMPROVEMENT,
                            p.getAcquisitionFunction());
                    assertTrue(p.getAcquisitionValue() >= 0, "an expected improvement: " + p.getAcquisitionValue());
                }
                report.addResults(ProposalResult.newBuilder().setProposalId(p.getId())
                        .setMeasured(MeasuredResult.newBuilder()
                                .addValues(ObjectiveValue.newBuilder().setProperty("hardness")
                                        .setValue(Quantity.newBuilder().setValue(hardness(p)).setUnit("GPa")))
                                .addValues(ObjectiveValue.newBuilder().setProperty("yield_strength")
                                        .setValue(Quantity.newBuilder().setValue(strength(p)).setUnit("MPa")))));
            }
            as(ACME).reportResults(report.build());
        }
        Campaign done = as(ACME).getCampaign(GetCampaignRequest.newBuilder().setId(id)
                .setView(CampaignView.CAMPAIGN_VIEW_FULL).build());
        assertEquals(12, done.getProgress().getCompleted());
        assertTrue(done.getParetoFrontCount() >= 2, "hardness and strength pull apart: " + done.getParetoFrontList());
        // no member of the front is dominated by another observation
        List<double[]> observed = done.getHistoryList().stream().map(h -> new double[] {
                h.getResult().getMeasured().getValues(0).getValue().getValue(),
                h.getResult().getMeasured().getValues(1).getValue().getValue()}).toList();
        for (var member : done.getParetoFrontList()) {
            double hard = member.getValues(0).getValue().getValue();
            double strong = member.getValues(1).getValue().getValue();
            assertTrue(observed.stream().noneMatch(o -> o[0] >= hard && o[1] >= strong && (o[0] > hard || o[1] > strong)),
                    "a dominated front member " + member);
        }
    }

    /** A pool of 2-parameter designs on a 9 × 9 grid, each measured twice; the optimum at (0.7, 0.2). */
    private static CampaignSpec poolStrategy() {
        return CampaignSpec.newBuilder().setName("twin")
                .addObjectives(Objective.newBuilder().setProperty("yield_strength")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE).setUnit("MPa"))
                .setDesignSpace(DesignSpace.newBuilder()
                        .addParameters(ProcessParameter.newBuilder().setName("x")
                                .setContinuous(ContinuousDomain.newBuilder().setMin(0).setMax(1)))
                        .addParameters(ProcessParameter.newBuilder().setName("y")
                                .setContinuous(ContinuousDomain.newBuilder().setMin(0).setMax(1))))
                .setSurrogate(org.mihub.api.planning.v1.SurrogateSpec.newBuilder().setGaussianProcess(
                        org.mihub.api.planning.v1.GaussianProcessSurrogate.newBuilder().setRestarts(1)))
                .build();
    }

    private static org.mihub.api.planning.v1.SimulationSpec.Builder simulation(int runs) {
        var pool = org.mihub.api.planning.v1.CandidatePoolOracle.newBuilder();
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                double x = i / 8.0;
                double y = j / 8.0;
                for (int repeat = 0; repeat < 2; repeat++) {
                    double value = 500 - 300 * ((x - 0.7) * (x - 0.7) + (y - 0.2) * (y - 0.2)) + (repeat == 0 ? 1 : -1);
                    pool.addRows(org.mihub.api.planning.v1.LabelledCandidate.newBuilder()
                            .setCandidate(org.mihub.api.planning.v1.Candidate.newBuilder().setId("d" + i + j)
                                    .putParameters("x", org.mihub.api.planning.v1.ParameterValue.newBuilder()
                                            .setNumber(x).build())
                                    .putParameters("y", org.mihub.api.planning.v1.ParameterValue.newBuilder()
                                            .setNumber(y).build()))
                            .addValues(ObjectiveValue.newBuilder().setProperty("yield_strength")
                                    .setValue(Quantity.newBuilder().setValue(value).setUnit("MPa"))));
                }
            }
        }
        return org.mihub.api.planning.v1.SimulationSpec.newBuilder().setName("twin").setCampaign(poolStrategy())
                .setPool(pool).setRuns(runs).setBaseSeed(7).setKeepChoices(true);
    }

    @Test
    void aTwoObjectiveSimulationReportsTheShareOfThePoolsHypervolumeAgainstRandom() throws Exception {
        var spec = simulation(3);
        // a second objective that pulls the other way: density, lowest at (0.1, 0.9)
        spec.setCampaign(poolStrategy().toBuilder().addObjectives(Objective.newBuilder().setProperty("density")
                .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MINIMISE).setUnit("g/cm3")));
        for (var row : spec.getPoolBuilder().getRowsBuilderList()) {
            double x = row.getCandidate().getParametersMap().get("x").getNumber();
            double y = row.getCandidate().getParametersMap().get("y").getNumber();
            row.addValues(ObjectiveValue.newBuilder().setProperty("density").setValue(Quantity.newBuilder()
                    .setValue(7 + 3 * ((x - 0.1) * (x - 0.1) + (y - 0.9) * (y - 0.9))).setUnit("g/cm3")));
        }
        String id = as(ACME).startSimulation(org.mihub.api.planning.v1.StartSimulationRequest.newBuilder()
                .setSpec(spec).build()).getId();
        var updates = PlanningServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(ACME)))
                .watchJob(org.mihub.api.common.v1.JobRef.newBuilder().setJobId(id).build());
        org.mihub.api.common.v1.Job last = null;
        while (updates.hasNext()) {
            last = updates.next();
        }
        assertEquals(org.mihub.api.common.v1.JobState.SUCCEEDED, last.getState(), last.getMessage());
        var report = as(ACME).getSimulation(org.mihub.api.planning.v1.GetSimulationRequest.newBuilder().setId(id)
                .setIncludeRuns(true).build()).getReport();
        assertEquals("yield_strength,density", report.getObjectiveProperty());
        assertEquals(81, report.getPoolSize());
        assertEquals(81, report.getMeanHypervolumeCount());
        assertEquals(81, report.getRandomHypervolumeCount());
        assertEquals(1.0, report.getMeanHypervolume(80), 1e-12);
        assertTrue(report.getPoolHypervolume() > 0);
        assertEquals(2, report.getHypervolumeAccelerationCount(), "the default levels 0.5 and 0.8");
        assertEquals(3, report.getRunsCount());
        assertEquals(81, report.getRuns(0).getHypervolumeCount());
        assertEquals(0, report.getMeanTopFoundCount(), "Top% is a one-objective measure");

        // prediction models serve one objective only
        var fromModels = spec.clone().clearPool().setModel(org.mihub.api.planning.v1.ModelOracle.newBuilder()
                .putModelIds("yield_strength", java.util.UUID.randomUUID().toString()));
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> as(ACME).startSimulation(
                org.mihub.api.planning.v1.StartSimulationRequest.newBuilder().setSpec(fromModels).build()));
        assertEquals("spec.model", details(refused).getFieldViolations(0).getField());
    }

    @Test
    void aSimulationRunsAsAJobAndReportsLiangMeasures() throws Exception {
        var job = as(ACME).startSimulation(org.mihub.api.planning.v1.StartSimulationRequest.newBuilder()
                .setSpec(simulation(4)).build());
        String id = job.getId();
        org.mihub.api.common.v1.Job last = finished(id);
        assertEquals(org.mihub.api.common.v1.JobState.SUCCEEDED, last.getState(), last.getMessage());
        var simulation = as(ACME).getSimulation(org.mihub.api.planning.v1.GetSimulationRequest.newBuilder().setId(id)
                .setIncludeRuns(true).build());
        var report = simulation.getReport();
        assertEquals(81, report.getPoolSize(), "repeated designs are averaged");
        assertEquals(5, report.getTopCount());
        assertEquals(81, report.getEvaluations());
        assertEquals(4, report.getRunsCount());
        assertEquals("MPa", report.getUnit());
        assertEquals(1.0, report.getMeanTopFound(80), 1e-12);
        assertTrue(report.getMaxEnhancementFactor() > 2, "BO beats random: " + report.getMaxEnhancementFactor());
        assertTrue(report.getAcceleration(1).getFactor() > 1.5, report.getAcceleration(1).toString());
        assertTrue(report.getRuns(0).getChosenCandidateIdsList().stream().allMatch(c -> c.matches("d\\d\\d")));
        assertEquals(0, as(ACME).getSimulation(org.mihub.api.planning.v1.GetSimulationRequest.newBuilder().setId(id)
                .build()).getReport().getRunsCount(), "runs only when asked for");
        // another organisation does not see it
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> as(KANSAI)
                .getSimulation(org.mihub.api.planning.v1.GetSimulationRequest.newBuilder().setId(id).build()))
                .getStatus().getCode());
        // a pool row outside the strategy's domain is refused, naming the row
        var bad = simulation(2);
        bad.getPoolBuilder().getRowsBuilder(5).getCandidateBuilder().putParameters("x",
                org.mihub.api.planning.v1.ParameterValue.newBuilder().setNumber(1.5).build());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .startSimulation(org.mihub.api.planning.v1.StartSimulationRequest.newBuilder().setSpec(bad).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals("spec.pool.rows[5].parameters[x]", details(refused).getFieldViolations(0).getField());
        // a long simulation can be cancelled
        var longJob = as(ACME).startSimulation(org.mihub.api.planning.v1.StartSimulationRequest.newBuilder()
                .setSpec(simulation(400)).build());
        var cancelled = as(ACME).cancelJob(org.mihub.api.common.v1.JobRef.newBuilder().setJobId(longJob.getId())
                .build());
        assertEquals(org.mihub.api.common.v1.JobState.CANCELLED, cancelled.getState());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> as(KANSAI)
                .cancelJob(org.mihub.api.common.v1.JobRef.newBuilder().setJobId(longJob.getId()).build()))
                .getStatus().getCode());
    }

    /** A RUNNING simulation whose process died (its lease ran out, held by a worker elsewhere), as in the table. */
    private String orphan(byte[] request, int attempts) throws Exception {
        UUID id = UUID.randomUUID();
        try (var connection = dataSource.getConnection(); var insert = connection.prepareStatement(
                "INSERT INTO job (id, kind, state, progress, message, owner_org, visibility, created_by, request, "
                        + "lease_owner, lease_until, attempts) VALUES (?, 'simulation', 'RUNNING', 0.4, 'run 2 of 4', "
                        + "'acme', 'PRIVATE', 'dave', ?, 'gone-host/dead', now() - interval '1 second', ?)")) {
            insert.setObject(1, id);
            insert.setBytes(2, request);
            insert.setInt(3, attempts);
            insert.executeUpdate();
        }
        try (var connection = dataSource.getConnection(); var attempt = connection.prepareStatement(
                "INSERT INTO job_attempt (job_id, number, worker) SELECT ?, n, 'gone-host/dead' "
                        + "FROM generate_series(1, ?) n")) {
            attempt.setObject(1, id);
            attempt.setInt(2, attempts);
            attempt.executeUpdate();
        }
        return id.toString();
    }

    private org.mihub.api.common.v1.Job finished(String id) {
        org.mihub.api.common.v1.Job last = null;
        var updates = PlanningServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(ACME)))
                .watchJob(org.mihub.api.common.v1.JobRef.newBuilder().setJobId(id).build());
        while (updates.hasNext()) {
            last = updates.next();
        }
        return last;
    }

    @Test
    void aSimulationWhoseProcessDiedIsTakenUpAgainFromItsRequestOrFailsSayingWhy() throws Exception {
        String resumed = orphan(simulation(2).build().toByteArray(), 1);
        var job = finished(resumed);
        assertEquals(org.mihub.api.common.v1.JobState.SUCCEEDED, job.getState(), job.getMessage());
        assertEquals(2, job.getAttemptsCount(), job.getAttemptsList().toString());
        assertEquals("gone-host/dead", job.getAttempts(0).getWorker());
        assertNotEquals("gone-host/dead", job.getAttempts(1).getWorker(), "this process took it up");
        assertTrue(job.getAttempts(0).getOutcome().contains("stopped"), job.getAttempts(0).getOutcome());
        assertTrue(job.getAttempts(1).getOutcome().startsWith("succeeded"), job.getAttempts(1).getOutcome());
        assertEquals(2, as(ACME).getSimulation(org.mihub.api.planning.v1.GetSimulationRequest.newBuilder()
                .setId(resumed).setIncludeRuns(true).build()).getReport().getRunsCount());

        // a simulation over a catalog dataset was read as its caller: it cannot be taken up again
        var fromCatalog = simulation(2).clearPool().setDataset(org.mihub.api.planning.v1.DatasetOracle.newBuilder()
                .setDataset(org.mihub.api.prediction.v1.DatasetRef.newBuilder()
                        .setDatasetId(UUID.randomUUID().toString())));
        var failed = finished(orphan(fromCatalog.build().toByteArray(), 1));
        assertEquals(org.mihub.api.common.v1.JobState.FAILED, failed.getState());
        assertTrue(failed.getMessage().contains("read as you from the catalog"), failed.getMessage());

        // a job already started as often as allowed fails for good
        var exhausted = finished(orphan(simulation(2).build().toByteArray(), 3));
        assertEquals(org.mihub.api.common.v1.JobState.FAILED, exhausted.getState());
        assertEquals(3, exhausted.getAttemptsCount());
    }

    @Test
    void aLabRobotKeepsItsCapacityFilledOverTheStreamUntilTheBudgetIsSpent() throws Exception {
        Campaign campaign = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec("robot", 4))
                .build());
        java.util.concurrent.BlockingQueue<org.mihub.api.planning.v1.LabServerMessage> received =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        var stub = PlanningServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(ACME)));
        var robot = stub.connectLab(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(org.mihub.api.planning.v1.LabServerMessage message) {
                received.add(message);
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        robot.onNext(org.mihub.api.planning.v1.LabClientMessage.newBuilder().setHello(
                org.mihub.api.planning.v1.LabHello.newBuilder().setCampaignId(campaign.getId()).setRobotId("arm-1")
                        .setCapacity(2)).build());
        assertTrue(next(received).hasStarted());
        List<Proposal> holding = new java.util.ArrayList<>(List.of(next(received).getProposal(),
                next(received).getProposal()));
        holding.forEach(p -> assertEquals("arm-1", p.getAssignedTo()));
        // a proposal the robot does not hold is rejected; the session goes on
        robot.onNext(org.mihub.api.planning.v1.LabClientMessage.newBuilder().setResult(ProposalResult.newBuilder()
                .setProposalId(java.util.UUID.randomUUID().toString()).setFailed(FailedResult.newBuilder()
                        .setReason("?"))).build());
        assertEquals("FAILED_PRECONDITION", next(received).getRejection().getCode());
        // a result the catalog refuses (as it refuses a caller without the contributor role) is rejected
        // with the catalog's code and reason; nothing is recorded and the session goes on
        Proposal refusedOne = holding.get(0);
        robot.onNext(org.mihub.api.planning.v1.LabClientMessage.newBuilder().setResult(
                measured(refusedOne, hardness(refusedOne), "GPa").toBuilder().setInstrument("refuse-me")).build());
        var refused = next(received).getRejection();
        assertEquals(List.of(refusedOne.getId(), "INVALID_ARGUMENT", "row 1: instrument refused"),
                List.of(refused.getProposalId(), refused.getCode(), refused.getReason()), refused.toString());
        assertEquals(1, done.getCount(), "the session is still open");
        // budget 4: each of the first two results brings one new proposal, the third none (the robot
        // still holds the fourth), the fourth ends the session
        int results = 0;
        org.mihub.api.planning.v1.LabFinished finished = null;
        while (finished == null && !holding.isEmpty()) {
            Proposal ran = holding.remove(0);
            robot.onNext(org.mihub.api.planning.v1.LabClientMessage.newBuilder()
                    .setResult(measured(ran, hardness(ran), "GPa")).build());
            results++;
            var answer = next(received);
            assertEquals(ran.getId(), answer.getAck().getProposalId(), answer.toString());
            String material = answer.getAck().getMaterialId();
            assertTrue(catalog.materials.stream().anyMatch(m -> m.getId().equals(material)
                    && m.getMeasurements(0).getProposalId().equals(ran.getId())
                    && answer.getAck().getMeasurementIdsList().equals(List.of(m.getMeasurements(0).getId()))),
                    "the ack names the material and measurement written for the proposal: " + answer);
            if (results <= 2) {
                Proposal more = next(received).getProposal();
                assertEquals("arm-1", more.getAssignedTo());
                holding.add(more);
            } else if (results == 4) {
                finished = next(received).getFinished();
            }
        }
        assertEquals(4, results, "every proposal of the budget was run");
        assertEquals(org.mihub.api.planning.v1.LabFinishReason.LAB_FINISH_REASON_BUDGET_EXHAUSTED,
                finished.getReason());
        assertTrue(done.await(10, TimeUnit.SECONDS), "the server completes the stream after finished");
        robot.onCompleted();
        assertEquals(4, as(ACME).getCampaign(GetCampaignRequest.newBuilder().setId(campaign.getId()).build())
                .getProgress().getCompleted());
    }

    private static org.mihub.api.planning.v1.LabServerMessage next(
            java.util.concurrent.BlockingQueue<org.mihub.api.planning.v1.LabServerMessage> queue) throws Exception {
        var message = queue.poll(30, TimeUnit.SECONDS);
        assertTrue(message != null, "the planner answered");
        return message;
    }

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    @Test
    void aSharedSimulationIsReadByTheNamedPartnerAndHiddenFromOtherOrganisations() throws Exception {
        String id = as(ACME).startSimulation(org.mihub.api.planning.v1.StartSimulationRequest.newBuilder()
                .setSpec(simulation(400)).build()).getId();
        var get = org.mihub.api.planning.v1.GetSimulationRequest.newBuilder().setId(id).build();
        var ref = org.mihub.api.common.v1.JobRef.newBuilder().setJobId(id).build();
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> as(KANSAI).getSimulation(get)).getStatus().getCode(), "PRIVATE until shared");
        // no RPC shares a simulation yet: the job's row is shared with kansai-u as a campaign's would be
        try (var connection = dataSource.getConnection(); var update = connection.prepareStatement(
                "UPDATE job SET visibility = 'SHARED', shared_with = ? WHERE id = ?")) {
            update.setArray(1, connection.createArrayOf("text", new String[] {"kansai-u"}));
            update.setObject(2, java.util.UUID.fromString(id));
            assertEquals(1, update.executeUpdate());
        }
        var shared = as(KANSAI).getSimulation(get);
        assertEquals(id, shared.getId());
        assertEquals("acme", shared.getOwnerOrg());
        assertEquals(org.mihub.api.common.v1.Visibility.SHARED, shared.getVisibility());
        assertEquals(id, as(KANSAI).getJob(ref).getId(), "the named partner sees the job too");
        // the partner reads but does not drive it
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                () -> as(KANSAI).cancelJob(ref)).getStatus().getCode());
        // an organisation it is not shared with does not see it at all
        for (String stranger : List.of(TOHOKU, token("erin", "tohoku", "member", "curator"))) {
            assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                    () -> as(stranger).getSimulation(get)).getStatus().getCode());
            assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                    () -> as(stranger).getJob(ref)).getStatus().getCode());
        }
        assertEquals(org.mihub.api.common.v1.JobState.CANCELLED, as(ACME).cancelJob(ref).getState());
    }

    @Test
    void onlyTheOwnerOrganisationSeesAndDrivesItsCampaign() {
        Campaign campaign = as(ACME).createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec("private", 20))
                .build());
        String id = campaign.getId();
        GetCampaignRequest get = GetCampaignRequest.newBuilder().setId(id).build();
        assertEquals(id, as(ACME_READER).getCampaign(get).getId(), "any caller of the owner org may read");
        assertEquals(id, as(ADMIN).getCampaign(get).getId());
        StatusRuntimeException hidden = assertThrows(StatusRuntimeException.class, () -> as(KANSAI).getCampaign(get));
        assertEquals(Status.Code.NOT_FOUND, hidden.getStatus().getCode());
        assertFalse(as(KANSAI).listCampaigns(ListCampaignsRequest.getDefaultInstance()).getCampaignsList()
                .stream().anyMatch(c -> c.getId().equals(id)));
        // campaigns are never public: without a token there is nothing to read
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> as(null).getCampaign(get)).getStatus().getCode());
        ProposeBatchRequest propose = ProposeBatchRequest.newBuilder().setCampaignId(id).build();
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> as(KANSAI).proposeBatch(propose)).getStatus().getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> as(null).proposeBatch(propose)).getStatus().getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                () -> as(ACME_READER).proposeBatch(propose)).getStatus().getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                () -> as(KANSAI).createCampaign(CreateCampaignRequest.newBuilder().setOwnerOrg("acme")
                        .setSpec(spec("not mine", 3)).build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> as(KANSAI).listProposals(ListProposalsRequest.newBuilder().setCampaignId(id).build()))
                .getStatus().getCode());

        // cancelling withdraws pending proposals; nothing more is accepted
        ProposeBatchResponse batch = as(ACME).proposeBatch(propose);
        Campaign cancelled = as(ACME).updateCampaignStatus(UpdateCampaignStatusRequest.newBuilder().setId(id)
                .setStatus(CampaignStatus.CAMPAIGN_STATUS_CANCELLED).setReason("funding ended").build());
        assertEquals(CampaignStatus.CAMPAIGN_STATUS_CANCELLED, cancelled.getStatus());
        assertEquals(batch.getProposalsCount(), cancelled.getProgress().getCancelled());
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                        .addResults(measured(batch.getProposals(0), 3, "GPa")).build())).getStatus().getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> as(ACME)
                .updateCampaignStatus(UpdateCampaignStatusRequest.newBuilder().setId(id)
                        .setStatus(CampaignStatus.CAMPAIGN_STATUS_ACTIVE).build())).getStatus().getCode());
        assertNotEquals("", cancelled.getStatusReason());
    }
}

package org.mihub.planning.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.AcquisitionSpec;
import org.mihub.api.planning.v1.Budget;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.ContinuousDomain;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.DesignSpace;
import org.mihub.api.planning.v1.MeasuredResult;
import org.mihub.api.planning.v1.Objective;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.PlanningServiceGrpc;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.api.planning.v1.Proposal;
import org.mihub.api.planning.v1.ProposalResult;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.common.identity.Caller;
import org.mihub.common.testing.PostgresResource;
import org.mihub.planning.grpc.PlanningGrpcTest;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.common.sql.EntityTransactions;

/**
 * The ask plans without holding the campaign: a tell that lands while the planner works is
 * recorded at once, and the ask then plans again with it, so no observation is lost and the
 * committed batch is the one the latest results call for.
 */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "planning"))
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignProposerTest {

    private static final String ACME = PlanningGrpcTest.token("dave", "acme", "member");

    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 18083).usePlaintext().build();

    @Inject
    CampaignProposer proposer;

    @Inject
    CampaignRepository repository;

    private PlanningServiceGrpc.PlanningServiceBlockingStub acme() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ACME);
        return PlanningServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterEach
    void quiet() {
        proposer.afterPlanning(attempt -> {
        });
    }

    @AfterAll
    void close() {
        channel.shutdownNow();
    }

    /** One process parameter on a grid of 11, one random design first, one proposal a batch. */
    private static CampaignSpec spec() {
        return CampaignSpec.newBuilder().setName("concurrent tell")
                .addObjectives(Objective.newBuilder().setProperty("yield")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE))
                .setDesignSpace(DesignSpace.newBuilder().addParameters(ProcessParameter.newBuilder()
                        .setName("speed").setContinuous(ContinuousDomain.newBuilder().setMin(0).setMax(1).setStep(0.1))))
                .setBudget(Budget.newBuilder().setMaxExperiments(8))
                .setAcquisition(AcquisitionSpec.newBuilder()
                        .setFunction(AcquisitionFunction.ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT).setBatchSize(1))
                .setInitialRandomPoints(1).setSeed(5).build();
    }

    private static ProposalResult measured(Proposal proposal, double value) {
        return ProposalResult.newBuilder().setProposalId(proposal.getId()).setMeasured(MeasuredResult.newBuilder()
                .addValues(ObjectiveValue.newBuilder().setProperty("yield")
                        .setValue(Quantity.newBuilder().setValue(value)))).build();
    }

    @Test
    void aTellDuringPlanningIsKeptAndTheAskPlansAgainWithIt() {
        String id = acme().createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec()).build()).getId();
        Proposal first = acme().proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id).build())
                .getProposals(0);
        assertEquals(AcquisitionFunction.ACQUISITION_FUNCTION_RANDOM, first.getAcquisitionFunction(),
                "nothing observed: a random design");

        List<Integer> attempts = new ArrayList<>();
        proposer.afterPlanning(attempt -> {
            attempts.add(attempt);
            if (attempt == 1) {
                // the lab reports while the planner works; with the campaign locked this call would wait for the ask
                acme().reportResults(ReportResultsRequest.newBuilder().setCampaignId(id)
                        .addResults(measured(first, 0.7)).build());
            }
        });
        ProposeBatchResponse second = acme().proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id).build());

        assertEquals(List.of(1, 2), attempts, "the first plan was made before the result: it is planned again");
        assertEquals(1, second.getProgress().getCompleted(), "the result told meanwhile is recorded");
        assertEquals(1, second.getProgress().getObservations());
        assertEquals(2, second.getProgress().getProposed(), "one batch committed, not two");
        assertNotEquals(AcquisitionFunction.ACQUISITION_FUNCTION_RANDOM,
                second.getProposals(0).getAcquisitionFunction(), "planned with the observation, past the random start");
        assertEquals(1, second.getFitsCount(), "a surrogate fitted to the one result");
        assertEquals(1, second.getFits(0).getObservations());
    }

    /** The campaign's version as stored now. */
    private long version(String id) {
        Caller admin = new Caller("test", "mihub", Set.of(Caller.ADMIN), "", "");
        return EntityTransactions.joiningExisting(() -> repository.find(UUID.fromString(id), Optional.of(admin), false))
                .orElseThrow().version();
    }

    @Test
    void everyBatchAndEveryTellMovesTheVersionAnAskCommitsAgainst() {
        String id = acme().createCampaign(CreateCampaignRequest.newBuilder().setSpec(spec()).build()).getId();
        long created = version(id);
        Proposal first = acme().proposeBatch(ProposeBatchRequest.newBuilder().setCampaignId(id).build())
                .getProposals(0);
        long proposed = version(id);
        assertTrue(proposed > created, "a batch moves the version");
        // a tell that only records results (the campaign's own columns stay as they were) still moves it
        acme().reportResults(ReportResultsRequest.newBuilder().setCampaignId(id).addResults(measured(first, 0.4))
                .build());
        assertTrue(version(id) > proposed, "a tell moves the version");
    }
}

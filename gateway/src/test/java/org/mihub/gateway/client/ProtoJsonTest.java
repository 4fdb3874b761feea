package org.mihub.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobState;
import org.mihub.api.common.v1.Visibility;
import org.mihub.api.planning.v1.AcquisitionFunction;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.DesignSpace;
import org.mihub.api.planning.v1.IntegerDomain;
import org.mihub.api.planning.v1.Objective;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.ParameterValue;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.api.planning.v1.Proposal;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.Simulation;
import org.mihub.api.planning.v1.SimulationSpec;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.gateway.error.InvalidInput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;

/** The REST dialect over real planning messages: both directions, the old spelling, and errors naming the path. */
class ProtoJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final CampaignSpec SPEC = CampaignSpec.newBuilder().setName("FeNi hardness")
            .addObjectives(Objective.newBuilder().setProperty("hardness")
                    .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE).setUnit("GPa"))
            .addObjectives(Objective.newBuilder().setProperty("density")
                    .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MINIMISE))
            .setDesignSpace(DesignSpace.newBuilder().addParameters(ProcessParameter.newBuilder().setName("passes")
                    .setInteger(IntegerDomain.newBuilder().setMin(1).setMax(9_007_199_254_740_993L).setStep(2))))
            .setSeed(7)
            .build();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static CreateCampaignRequest create(String json) throws Exception {
        var builder = CreateCampaignRequest.newBuilder();
        ProtoJson.merge(tree(json), builder);
        return builder.build();
    }

    @Test
    void enumsLoseTheirPrefixAndUnsetOnesAreLeftOut() {
        JsonNode written = ProtoJson.write(CreateCampaignRequest.newBuilder().setSpec(SPEC).build());
        assertEquals("maximise", written.at("/spec/objectives/0/direction").asText());
        assertEquals("minimise", written.at("/spec/objectives/1/direction").asText());
        assertEquals("FeNi hardness", written.at("/spec/name").asText());
        assertTrue(written.at("/spec/designSpace").isObject(), "fields in lowerCamelCase: " + written);

        Campaign campaign = Campaign.newBuilder().setId("c1").setSpec(SPEC).setStatus(CampaignStatus.CAMPAIGN_STATUS_ACTIVE)
                .setVisibility(Visibility.PRIVATE).addHistory(Proposal.newBuilder().setId("p1")
                        .setState(ProposalState.PROPOSAL_STATE_PENDING)
                        .setAcquisitionFunction(AcquisitionFunction.ACQUISITION_FUNCTION_LOG_EXPECTED_IMPROVEMENT))
                .addHistory(Proposal.newBuilder().setId("p2"))
                .build();
        JsonNode view = ProtoJson.write(campaign);
        assertEquals("active", view.get("status").asText());
        assertEquals("private", view.get("visibility").asText());
        assertEquals("pending", view.at("/history/0/state").asText());
        assertEquals("log_expected_improvement", view.at("/history/0/acquisitionFunction").asText());
        assertFalse(view.get("history").get(1).has("state"), "an unset enum is left out: " + view);
        assertFalse(view.get("history").get(1).has("acquisitionFunction"));
        // fields without presence are still written with their defaults
        assertTrue(view.get("historyTruncated").isBoolean(), view.toString());
        assertEquals("", view.get("statusReason").asText("x"));
    }

    @Test
    void anEmbeddedJobLeavesOutItsResultIdUntilItHasOne() {
        JsonNode running = ProtoJson.write(Simulation.newBuilder().setId("s1").setJob(Job.newBuilder().setId("s1")
                .setKind("simulation").setState(JobState.RUNNING)).build());
        assertEquals("running", running.at("/job/state").asText());
        assertFalse(running.get("job").has("resultId"), running.toString());
        assertEquals("", running.at("/job/message").asText("x"), "other fields without presence stay: " + running);
        JsonNode done = ProtoJson.write(Simulation.newBuilder().setId("s1").setJob(Job.newBuilder().setId("s1")
                .setState(JobState.SUCCEEDED).setResultId("r-1")).build());
        assertEquals("succeeded", done.at("/job/state").asText());
        assertEquals("r-1", done.at("/job/resultId").asText());
    }

    @Test
    void integersOf64BitsAreNumbersEverywhere() {
        JsonNode written = ProtoJson.write(CreateCampaignRequest.newBuilder().setSpec(SPEC).build());
        JsonNode domain = written.at("/spec/designSpace/parameters/0/integer");
        assertTrue(domain.get("max").isIntegralNumber(), domain.toString());
        assertEquals(9_007_199_254_740_993L, domain.get("max").longValue(), "no precision lost above 2^53");
        assertEquals(2, domain.get("step").intValue());
        assertTrue(written.at("/spec/seed").isIntegralNumber());

        // repeated (seeds) and inside map values (a candidate's integer parameter)
        JsonNode simulation = ProtoJson.write(StartSimulationRequest.newBuilder().setSpec(SimulationSpec.newBuilder()
                .setName("twin").addSeeds(4295).addSeeds(-1).addSeeds(Long.MAX_VALUE)).build());
        assertEquals("[4295,-1,9223372036854775807]", simulation.at("/spec/seeds").toString());
        JsonNode candidate = ProtoJson.write(Candidate.newBuilder().setId("x")
                .putParameters("passes", ParameterValue.newBuilder().setInteger(12).build()).build());
        assertTrue(candidate.at("/parameters/passes/integer").isIntegralNumber(), candidate.toString());
    }

    @Test
    void timestampsAreRfc3339WithTheZoneAndTheEmbeddedJobSpeaksAsJobsDo() {
        Simulation simulation = Simulation.newBuilder().setId("s1")
                .setJob(Job.newBuilder().setId("s1").setKind("simulation").setState(JobState.RUNNING).setProgress(0.5)
                        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_796_428_800L).setNanos(250_000_000)))
                .setCreatedAt(Timestamp.newBuilder().setSeconds(1_796_428_800L)).build();
        JsonNode written = ProtoJson.write(simulation);
        assertEquals("2026-12-05T00:00:00Z", written.get("createdAt").asText());
        assertEquals("2026-12-05T00:00:00.250Z", written.at("/job/createdAt").asText());
        assertEquals("running", written.at("/job/state").asText());
        assertEquals(0.5, written.at("/job/progress").asDouble());
        assertEquals("simulation", written.at("/job/kind").asText());
    }

    @Test
    void theDialectReadsBackToTheSameMessage() throws Exception {
        CreateCampaignRequest request = CreateCampaignRequest.newBuilder().setSpec(SPEC).setOwnerOrg("acme").build();
        var builder = CreateCampaignRequest.newBuilder();
        assertFalse(ProtoJson.merge(ProtoJson.write(request), builder), "the dialect is not the old spelling");
        assertEquals(request, builder.build());

        ReportResultsRequest results = ReportResultsRequest.newBuilder().setCampaignId("c1")
                .addResults(org.mihub.api.planning.v1.ProposalResult.newBuilder().setProposalId("p1")
                        .setMeasuredAt(Timestamp.newBuilder().setSeconds(1_796_428_800L).setNanos(1000))
                        .putActualParameters("passes", ParameterValue.newBuilder().setInteger(3).build()))
                .build();
        var told = ReportResultsRequest.newBuilder();
        ProtoJson.merge(ProtoJson.write(results), told);
        assertEquals(results, told.build());
    }

    @Test
    void enumsAreReadInAnyCaseAndTheOldSpellingIsStillAccepted() throws Exception {
        String house = """
                {"spec": {"name": "n", "objectives": [{"property": "hardness", "direction": "maximise"},
                  {"property": "density", "direction": "Minimise"}],
                  "designSpace": {"parameters": [{"name": "passes", "integer": {"min": 1, "max": 9007199254740993}}]},
                  "seed": 7}}""";
        String old = """
                {"spec": {"name": "n", "objectives": [{"property": "hardness", "direction": "OBJECTIVE_DIRECTION_MAXIMISE"},
                  {"property": "density", "direction": "OBJECTIVE_DIRECTION_MINIMISE"}],
                  "design_space": {"parameters": [{"name": "passes", "integer": {"min": "1", "max": "9007199254740993"}}]},
                  "seed": "7"}}""";
        var fromHouse = CreateCampaignRequest.newBuilder();
        var fromOld = CreateCampaignRequest.newBuilder();
        assertFalse(ProtoJson.merge(tree(house), fromHouse));
        assertTrue(ProtoJson.merge(tree(old), fromOld), "full enum names and integers as strings are the old spelling");
        assertEquals(fromHouse.build(), fromOld.build());
        assertEquals(ObjectiveDirection.OBJECTIVE_DIRECTION_MINIMISE, fromHouse.getSpec().getObjectives(1).getDirection());
        assertEquals(9_007_199_254_740_993L, fromHouse.getSpec().getDesignSpace().getParameters(0).getInteger().getMax());
        assertEquals(7, fromOld.getSpec().getSeed());

        // an enum value spelled the same in both (JobState has no prefix) is not the old spelling
        var job = Job.newBuilder();
        assertFalse(ProtoJson.merge(tree("{\"state\": \"RUNNING\"}"), job));
        assertEquals(JobState.RUNNING, job.getState());
    }

    @Test
    void mistakesAreRefusedNamingTheFieldPath() {
        InvalidInput direction = assertThrows(InvalidInput.class, () -> create(
                "{\"spec\": {\"objectives\": [{\"property\": \"h\", \"direction\": \"maximise\"}, "
                        + "{\"property\": \"d\", \"direction\": \"up\"}]}}"));
        assertEquals("spec.objectives[1].direction", direction.field());
        assertEquals("'up' is not maximise, minimise or target", direction.reason());

        InvalidInput unknown = assertThrows(InvalidInput.class, () -> create("{\"spec\": {\"nmae\": \"x\"}}"));
        assertEquals("spec.nmae", unknown.field());
        assertEquals("unknown field; did you mean name?", unknown.reason());
        InvalidInput far = assertThrows(InvalidInput.class, () -> create("{\"spec\": {\"colour\": \"x\"}}"));
        assertEquals("unknown field", far.reason(), "no suggestion when no field is close");

        InvalidInput type = assertThrows(InvalidInput.class, () -> create("{\"spec\": {\"objectives\": {}}}"));
        assertEquals("spec.objectives", type.field());
        assertEquals("expected a JSON array, not an object", type.reason());

        InvalidInput name = assertThrows(InvalidInput.class, () -> create("{\"spec\": {\"name\": 3}}"));
        assertEquals("spec.name", name.field());

        InvalidInput fraction = assertThrows(InvalidInput.class, () -> create(
                "{\"spec\": {\"designSpace\": {\"parameters\": [{\"integer\": {\"min\": 1.5}}]}}}"));
        assertEquals("spec.designSpace.parameters[0].integer.min", fraction.field());
        assertEquals("'1.5' is not a whole number", fraction.reason());

        InvalidInput range = assertThrows(InvalidInput.class, () -> create(
                "{\"spec\": {\"initialRandomPoints\": 3000000000}}"));
        assertEquals("spec.initialRandomPoints", range.field());

        InvalidInput oneof = assertThrows(InvalidInput.class, () -> create(
                "{\"spec\": {\"designSpace\": {\"parameters\": [{\"integer\": {}, \"continuous\": {}}]}}}"));
        assertEquals("spec.designSpace.parameters[0].continuous", oneof.field());

        InvalidInput time = assertThrows(InvalidInput.class, () -> ProtoJson.merge(tree(
                "{\"results\": [{\"proposalId\": \"p\", \"measuredAt\": \"yesterday\"}]}"), ReportResultsRequest.newBuilder()));
        assertEquals("results[0].measuredAt", time.field());
        assertTrue(time.reason().startsWith("not a valid Timestamp"), time.reason());

        InvalidInput mapValue = assertThrows(InvalidInput.class, () -> ProtoJson.merge(tree(
                "{\"results\": [{\"actualParameters\": {\"passes\": {\"integer\": \"many\"}}}]}"),
                ReportResultsRequest.newBuilder()));
        assertEquals("results[0].actualParameters[passes].integer", mapValue.field());

        InvalidInput body = assertThrows(InvalidInput.class, () -> create("[1]"));
        assertEquals("body", body.field());
        assertThrows(InvalidInput.class, () -> ProtoJson.merge(null, CreateCampaignRequest.newBuilder()));
    }

    @Test
    void queryParametersNameEnumValuesAsTheDialectDoes() {
        assertEquals(CampaignStatus.CAMPAIGN_STATUS_PAUSED.getValueDescriptor(),
                ProtoJson.enumValue(CampaignStatus.getDescriptor(), "PAUSED", "status"));
        assertEquals(CampaignView.CAMPAIGN_VIEW_SUMMARY.getValueDescriptor(),
                ProtoJson.enumValue(CampaignView.getDescriptor(), "summary", "view"));
        InvalidInput state = assertThrows(InvalidInput.class,
                () -> ProtoJson.enumValue(ProposalState.getDescriptor(), "done", "state"));
        assertEquals("state", state.field());
        assertEquals("'done' is not pending, completed, failed or cancelled", state.reason());
        assertEquals("queued", ProtoJson.shortName(JobState.QUEUED.getValueDescriptor()));
        assertEquals("less_equal", ProtoJson.shortName(
                org.mihub.api.planning.v1.ConstraintRelation.CONSTRAINT_RELATION_LESS_EQUAL.getValueDescriptor()));
    }
}

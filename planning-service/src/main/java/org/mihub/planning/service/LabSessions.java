package org.mihub.planning.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;
import org.mihub.planning.repository.CampaignRepository;
import org.mihub.planning.repository.CampaignRepository.ProposalRecord;
import org.mihub.common.sql.EntityTransactions;

/**
 * A lab robot's session with a campaign: it keeps up to {@code capacity} pending proposals
 * assigned to the robot, takes its results one by one through the same all-or-nothing path as
 * {@link CampaignService#report}, and tells the robot when no proposal will come any more. The
 * protocol messages are built by the gRPC layer from the {@link Event}s returned here.
 */
@ApplicationScoped
public class LabSessions {

    /** Why no more proposals come. */
    public enum Finish {
        BUDGET_EXHAUSTED, DESIGN_SPACE_EXHAUSTED, CAMPAIGN_PAUSED, CAMPAIGN_COMPLETED, CAMPAIGN_CANCELLED
    }

    /** What the robot is told, in order. */
    public sealed interface Event permits Started, Proposed, Acknowledged, Rejected, Finished {
    }

    public record Started(String sessionId, CampaignView campaign) implements Event {
    }

    public record Proposed(ProposalRecord proposal, Plan plan) implements Event {
    }

    public record Acknowledged(Results.Ack ack) implements Event {
    }

    public record Rejected(String proposalId, String code, String reason) implements Event {
    }

    public record Finished(Finish reason, String message, Progress progress) implements Event {
    }

    /** The state of one session (one stream). */
    public static final class Session {
        UUID campaignId;
        String robot;
        int capacity;
        boolean finished;

        public boolean started() {
            return campaignId != null;
        }
    }

    @Inject
    CampaignService campaigns;

    @Inject
    CampaignProposer proposer;

    @Inject
    ResultRecorder recorder;

    @Inject
    CampaignRepository repository;

    public List<Event> hello(Session session, Caller caller, String campaignId, String robot, int capacity,
            boolean resume) {
        if (session.started()) {
            throw ApiException.invalid("hello", "a session says hello once");
        }
        UUID id = ApiException.id("hello.campaign_id", campaignId);
        if (robot.isBlank()) {
            throw ApiException.invalid("hello.robot_id", "a robot needs a stable name");
        }
        if (capacity < 1) {
            throw ApiException.invalid("hello.capacity", "must be at least 1");
        }
        CampaignView campaign = campaigns.get(Optional.of(caller), id, false);
        CampaignService.requireMember(caller, campaign.record().ownerOrg());
        session.campaignId = id;
        session.robot = robot;
        session.capacity = capacity;
        List<Event> events = new ArrayList<>();
        events.add(new Started(UUID.randomUUID().toString(), campaign));
        if (resume) {
            for (ProposalRecord p : outstanding(session, caller)) {
                events.add(new Proposed(p, campaign.plan()));
            }
        }
        events.addAll(topUp(session, caller));
        return events;
    }

    public List<Event> result(Session session, Caller caller, Results.ReportedResult result) {
        requireStarted(session);
        List<Event> events = new ArrayList<>();
        boolean assigned = outstanding(session, caller).stream()
                .anyMatch(p -> p.id().toString().equals(result.proposalId()));
        if (!assigned) {
            events.add(new Rejected(result.proposalId(), "FAILED_PRECONDITION",
                    "proposal " + result.proposalId() + " is not pending at robot " + session.robot));
        } else {
            try {
                Results.Told told = recorder.report(caller, session.campaignId, List.of(result));
                told.acks().forEach(ack -> events.add(new Acknowledged(ack)));
            } catch (ApiException e) {
                events.add(new Rejected(result.proposalId(), e.kind().name(), e.getMessage()));
            } catch (io.grpc.StatusRuntimeException e) {
                // the catalog refused the write (a caller without the contributor role, a value it does not
                // accept): nothing was recorded, so it is a rejection like the planner's own and the session
                // goes on (it used to end the whole stream)
                events.add(new Rejected(result.proposalId(), e.getStatus().getCode().name(),
                        e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription()));
            }
        }
        events.addAll(topUp(session, caller));
        return events;
    }

    public List<Event> capacity(Session session, Caller caller, int capacity) {
        requireStarted(session);
        if (capacity < 0) {
            throw ApiException.invalid("capacity.capacity", "must not be negative");
        }
        session.capacity = capacity;
        return topUp(session, caller);
    }

    private static void requireStarted(Session session) {
        if (!session.started()) {
            throw ApiException.invalid("hello", "the first message of a session is hello");
        }
    }

    private List<ProposalRecord> outstanding(Session session, Caller caller) {
        return campaigns.proposals(Optional.of(caller), session.campaignId, "PENDING", 0, Integer.MAX_VALUE).stream()
                .filter(p -> session.robot.equals(p.assignedTo())).toList();
    }

    /** Proposes until the robot holds {@code capacity} pending proposals; finishes when none can come. */
    private List<Event> topUp(Session session, Caller caller) {
        List<Event> events = new ArrayList<>();
        if (session.finished) {
            return events;
        }
        int holding = outstanding(session, caller).size();
        int wanted = session.capacity - holding;
        if (wanted <= 0) {
            return events;
        }
        CampaignView campaign = campaigns.get(Optional.of(caller), session.campaignId, false);
        if (campaign.record().status().equals("ACTIVE")) {
            try {
                Batch batch = proposer.propose(caller, session.campaignId, wanted, "");
                EntityTransactions.requiringNew(() -> repository.assign(batch.batchId(), session.robot));
                for (ProposalRecord p : campaigns.proposals(Optional.of(caller), session.campaignId, "PENDING", 0,
                        Integer.MAX_VALUE)) {
                    if (p.batchId().equals(batch.batchId())) {
                        events.add(new Proposed(p, campaign.plan()));
                    }
                }
                return events;
            } catch (ApiException e) {
                if (e.kind() != ApiException.Kind.FAILED_PRECONDITION) {
                    throw e;
                }
            }
            campaign = campaigns.get(Optional.of(caller), session.campaignId, false);
        }
        if (holding > 0) {
            // results of what the robot holds can still come over this session
            return events;
        }
        session.finished = true;
        Progress progress = campaign.progress();
        boolean spent = progress.experimentsRemaining() != null && progress.experimentsRemaining() == 0
                || progress.costRemaining() != null && progress.costRemaining() <= 0;
        Finish reason = switch (campaign.record().status()) {
            case "PAUSED" -> Finish.CAMPAIGN_PAUSED;
            case "CANCELLED" -> Finish.CAMPAIGN_CANCELLED;
            case "COMPLETED" -> spent ? Finish.BUDGET_EXHAUSTED : Finish.CAMPAIGN_COMPLETED;
            default -> spent ? Finish.BUDGET_EXHAUSTED : Finish.DESIGN_SPACE_EXHAUSTED;
        };
        events.add(new Finished(reason, "campaign " + session.campaignId + ": " + reason.name().toLowerCase()
                .replace('_', ' '), progress));
        return events;
    }
}

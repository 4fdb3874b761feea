package org.mihub.planning.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import org.mihub.api.planning.v1.SimulationSpec;
import org.mihub.common.jobs.JobRunner;
import org.mihub.planning.acquisition.Acquisition;
import org.mihub.planning.mapping.SimulationMapper;
import org.mihub.planning.service.SimulationService;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * A stored simulation request made runnable again by the mapping {@code StartSimulation} uses, for
 * a process that takes the job up again: possible when the request holds everything the simulation
 * needs (an inline campaign over an inline pool, no model prior). What was read as the caller when
 * it was submitted (a campaign, a catalog dataset, a model's predictions) is not kept, and another
 * process cannot read it as the caller: such a job fails at once, saying so.
 */
@ApplicationScoped
public class StoredSimulations implements SimulationService.Stored {

    private static final String AGAIN = "; a process that takes the job up again cannot read it as you: submit it "
            + "again";

    @Override
    public SimulationService.Prepared prepare(byte[] document) {
        SimulationSpec spec;
        try {
            spec = SimulationSpec.parseFrom(document);
        } catch (InvalidProtocolBufferException e) {
            throw new JobRunner.NotResumableException("the stored simulation request cannot be read");
        }
        if (spec.getStrategyCase() != SimulationSpec.StrategyCase.CAMPAIGN) {
            throw new JobRunner.NotResumableException("the simulation's strategy is campaign " + spec.getCampaignId()
                    + ", read as you when it was submitted" + AGAIN);
        }
        if (spec.hasDataset() || spec.hasModel()) {
            throw new JobRunner.NotResumableException("the simulation's pool was read as you from "
                    + (spec.hasDataset() ? "the catalog" : "a prediction model") + " when it was submitted" + AGAIN);
        }
        SimulationService.Request simulation = SimulationMapper.request(spec, spec.getCampaign());
        if (simulation.plan().modelSurrogate()
                && simulation.plan().acquisition().function() != Acquisition.Function.RANDOM) {
            throw new JobRunner.NotResumableException("the simulation's surrogate prior was read as you from the "
                    + "prediction service when it was submitted" + AGAIN);
        }
        return new SimulationService.Prepared(simulation, SimulationMapper.reportWriter(spec, simulation));
    }
}

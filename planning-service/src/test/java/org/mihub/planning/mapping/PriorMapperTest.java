package org.mihub.planning.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.Parameter;
import org.mihub.api.catalog.v1.ProcessStep;
import org.mihub.api.common.v1.Quantity;
import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.CompositionSpace;
import org.mihub.api.planning.v1.ContinuousDomain;
import org.mihub.api.planning.v1.DesignSpace;
import org.mihub.api.planning.v1.ElementBound;
import org.mihub.api.planning.v1.ExplicitCandidates;
import org.mihub.api.planning.v1.Objective;
import org.mihub.api.planning.v1.ObjectiveDirection;
import org.mihub.api.planning.v1.ProcessParameter;
import org.mihub.planning.service.Plan;

class PriorMapperTest {

    private static Material material(String id, String a, double fa, String b, double fb, Measurement... values) {
        Material.Builder material = Material.newBuilder().setId(id).putAtomicFractions(a, fa);
        if (b != null) {
            material.putAtomicFractions(b, fb);
        }
        return material.addAllMeasurements(List.of(values)).build();
    }

    private static Measurement hardness(double value, String unit) {
        return Measurement.newBuilder().setProperty("hardness")
                .setValue(Quantity.newBuilder().setValue(value).setUnit(unit)).build();
    }

    private static CampaignSpec.Builder spec() {
        return CampaignSpec.newBuilder().setName("prior").setSeed(1).setInitialRandomPoints(2)
                .addObjectives(Objective.newBuilder().setProperty("hardness")
                        .setDirection(ObjectiveDirection.OBJECTIVE_DIRECTION_MAXIMISE).setUnit("GPa"));
    }

    @Test
    void aCompositionSpaceTakesMaterialsOfItsElementsWithValuesInTheObjectivesUnit() {
        CampaignSpec spec = spec().setDesignSpace(DesignSpace.newBuilder().setComposition(CompositionSpace.newBuilder()
                .addElements(ElementBound.newBuilder().setElement("Fe").setMaxFraction(1))
                .addElements(ElementBound.newBuilder().setElement("Ni").setMaxFraction(1)))).build();
        Plan plan = SpecMapper.plan(spec);
        // two measurements in MPa, averaged and converted
        var taken = PriorMapper.prior(spec, plan, "d", material("m1", "Fe", 0.5, "Ni", 0.5, hardness(1500, "MPa"),
                hardness(2500, "MPa")), new PriorMapper.Candidates(List.of()));
        assertTrue(taken.isPresent());
        assertEquals(2.0, taken.get().values()[0], 1e-12);
        assertEquals(0.5, taken.get().point().composition().get("Ni"), 1e-12);
        assertEquals("m1", taken.get().materialId());
        // an element outside the space, or no value of the objective: skipped
        PriorMapper.Candidates none = new PriorMapper.Candidates(List.of());
        assertTrue(PriorMapper.prior(spec, plan, "d", material("m2", "Fe", 0.5, "Co", 0.5, hardness(1, "GPa")),
                none).isEmpty());
        assertTrue(PriorMapper.prior(spec, plan, "d", material("m3", "Fe", 1, null, 0), none).isEmpty());
    }

    @Test
    void explicitCandidatesAreMatchedByCompositionAndProcessParameters() {
        CampaignSpec spec = spec().setDesignSpace(DesignSpace.newBuilder()
                .addParameters(ProcessParameter.newBuilder().setName("anneal_temperature").setUnit("Cel")
                        .setStepKind("anneal").setStepParameter("temperature")
                        .setContinuous(ContinuousDomain.newBuilder().setMin(300).setMax(900)))
                .setExplicit(ExplicitCandidates.newBuilder()
                        .addCandidates(Candidate.newBuilder().setId("a").setFormula("FeNi").putParameters(
                                "anneal_temperature", SpecMapper.value((Object) 500.0)))
                        .addCandidates(Candidate.newBuilder().setId("b").setFormula("FeNi").putParameters(
                                "anneal_temperature", SpecMapper.value((Object) 700.0))))).build();
        Plan plan = SpecMapper.plan(spec);
        PriorMapper.Candidates candidates = new PriorMapper.Candidates(plan.space().pool(Integer.MAX_VALUE, null));
        Material annealed = material("m", "Fe", 0.5, "Ni", 0.5, hardness(3, "GPa")).toBuilder()
                .addProcessSteps(ProcessStep.newBuilder().setKind("anneal").addParameters(Parameter.newBuilder()
                        .setName("temperature").setQuantity(Quantity.newBuilder().setValue(973.15).setUnit("K"))))
                .build();
        var taken = PriorMapper.prior(spec, plan, "d", annealed, candidates);
        assertEquals("b", taken.orElseThrow().point().id(), "700 °C written as 973.15 K is candidate b");
        Material unannealed = material("n", "Fe", 0.5, "Ni", 0.5, hardness(3, "GPa"));
        assertTrue(PriorMapper.prior(spec, plan, "d", unannealed, candidates).isEmpty(),
                "without the anneal step the material does not map");
        Material elsewhere = annealed.toBuilder().setProcessSteps(0, annealed.getProcessSteps(0).toBuilder()
                .setParameters(0, annealed.getProcessSteps(0).getParameters(0).toBuilder()
                        .setQuantity(Quantity.newBuilder().setValue(600).setUnit("Cel")))).build();
        assertTrue(PriorMapper.prior(spec, plan, "d", elsewhere, candidates).isEmpty(), "600 °C is no candidate");
    }
}

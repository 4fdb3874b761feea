package org.mihub.planning.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

import org.mihub.api.planning.v1.CampaignSpec;
import org.mihub.api.planning.v1.Candidate;
import org.mihub.api.planning.v1.ObjectiveValue;
import org.mihub.api.planning.v1.ParameterValue;
import org.mihub.api.planning.v1.ProposalResult;
import org.mihub.common.units.Units;
import org.mihub.planning.service.Plan;
import org.mihub.planning.space.Point;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The stored documents: a campaign keeps its {@link CampaignSpec} and each proposal its
 * {@link Candidate} as protobuf bytes (the contract's own, versioned format), read back here into
 * domain types.
 */
public final class Documents {

    private Documents() {
    }

    public static Plan plan(byte[] spec) {
        return SpecMapper.plan(spec(spec));
    }

    public static CampaignSpec spec(byte[] spec) {
        try {
            return CampaignSpec.parseFrom(spec);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored campaign spec is unreadable", e);
        }
    }

    public static byte[] candidate(Point point) {
        return candidateMessage(point).toByteArray();
    }

    public static Candidate candidateMessage(Point point) {
        Candidate.Builder candidate = Candidate.newBuilder().setId(point.id()).setFormula(point.formula())
                .putAllComposition(point.composition()).setMaterialId(point.materialId());
        point.parameters().forEach((name, value) -> candidate.putParameters(name, SpecMapper.value(value)));
        if (point.cost() != null) {
            candidate.setCost(point.cost());
        }
        return candidate.build();
    }

    public static Candidate candidateMessage(byte[] stored) {
        try {
            return Candidate.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored candidate is unreadable", e);
        }
    }

    /**
     * The value a stored result measured of {@code property}, converted into {@code unit} (empty:
     * as reported); null when the result is no measurement or did not report the property.
     */
    public static Double measured(byte[] storedResult, String property, String unit) {
        ProposalResult result;
        try {
            result = ProposalResult.parseFrom(storedResult);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored result is unreadable", e);
        }
        if (!result.hasMeasured()) {
            return null;
        }
        for (ObjectiveValue value : result.getMeasured().getValuesList()) {
            if (value.getProperty().equals(property)) {
                String from = value.getValue().getUnit();
                double number = value.getValue().getValue();
                return unit.isEmpty() || from.isEmpty() || from.equals(unit) ? number
                        : Units.converter(from, unit).convert(number);
            }
        }
        return null;
    }

    public static Point point(byte[] stored) {
        Candidate candidate = candidateMessage(stored);
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, ParameterValue> entry : candidate.getParametersMap().entrySet()) {
            parameters.put(entry.getKey(), SpecMapper.value(entry.getValue()));
        }
        return new Point(candidate.getId(), candidate.getCompositionMap(), parameters,
                candidate.hasCost() ? candidate.getCost() : null, candidate.getMaterialId());
    }
}

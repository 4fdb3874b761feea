package org.mihub.catalog.mapping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.Material;
import org.mihub.api.catalog.v1.Measurement;
import org.mihub.api.catalog.v1.Parameter;
import org.mihub.api.catalog.v1.ProcessStep;
import org.mihub.api.catalog.v1.Site;
import org.mihub.api.catalog.v1.Vector3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Structured ingest (INGEST_FORMAT_RECORDS): the materials of the record batches that follow the
 * header, as the NDJSON document the JSON reader validates, one material per line, so that
 * structured and document uploads obey exactly the same rules (and the row of a rejection is the
 * material's position in the stream, 1-based). Only the fields a client may set are carried; the
 * output-only ones (id, owner, composition...) are ignored as in a JSON upload.
 */
final class RecordsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordsJson() {
    }

    /** The NDJSON lines of a record batch message. */
    static byte[] ndjson(IngestRecordsRequest message) throws IOException {
        if (!message.hasRecords()) {
            throw new IOException("after the header of a RECORDS ingest only record batches may follow");
        }
        StringBuilder lines = new StringBuilder();
        for (Material material : message.getRecords().getMaterialsList()) {
            lines.append(json(material)).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String json(Material material) {
        ObjectNode node = JSON.createObjectNode().put("sample_key", material.getSampleKey())
                .put("formula", material.getFormula());
        ArrayNode tags = node.putArray("tags");
        material.getTagsList().forEach(tags::add);
        ArrayNode externalIds = node.putArray("external_ids");
        material.getExternalIdsList().forEach(id -> externalIds.addObject().put("system", id.getSystem())
                .put("id", id.getId()));
        if (material.hasStructure()) {
            var structure = material.getStructure();
            ObjectNode out = node.putObject("structure");
            ObjectNode lattice = out.putObject("lattice");
            if (structure.hasLattice()) {
                lattice.set("a", vector(structure.getLattice().getA()));
                lattice.set("b", vector(structure.getLattice().getB()));
                lattice.set("c", vector(structure.getLattice().getC()));
            }
            ArrayNode sites = out.putArray("sites");
            for (Site site : structure.getSitesList()) {
                ObjectNode entry = sites.addObject().put("species", site.getSpecies()).put("label", site.getLabel());
                entry.set("fractional", vector(site.getFractional()));
                if (site.hasOccupancy()) {
                    entry.put("occupancy", site.getOccupancy());
                }
            }
            if (structure.hasSpaceGroupSymbol()) {
                out.put("space_group_symbol", structure.getSpaceGroupSymbol());
            }
            if (structure.hasSpaceGroupNumber()) {
                out.put("space_group_number", structure.getSpaceGroupNumber());
            }
        }
        ArrayNode steps = node.putArray("process_steps");
        for (ProcessStep step : material.getProcessStepsList()) {
            ObjectNode entry = steps.addObject().put("kind", step.getKind());
            parameters(entry.putArray("parameters"), step.getParametersList());
        }
        ArrayNode measurements = node.putArray("measurements");
        for (Measurement measurement : material.getMeasurementsList()) {
            ObjectNode entry = measurements.addObject().put("property", measurement.getProperty())
                    .put("method", measurement.getMethod()).put("instrument", measurement.getInstrument())
                    .put("source", measurement.getSource().name()).put("campaign_id", measurement.getCampaignId())
                    .put("proposal_id", measurement.getProposalId());
            if (!measurement.getLabel().isEmpty()) {
                entry.put("label", measurement.getLabel());
            } else {
                ObjectNode value = entry.putObject("value");
                if (measurement.hasValue()) {
                    value.put("value", measurement.getValue().getValue()).put("unit", measurement.getValue().getUnit());
                }
            }
            if (measurement.hasUncertainty()) {
                entry.put("uncertainty", measurement.getUncertainty());
            }
            parameters(entry.putArray("conditions"), measurement.getConditionsList());
        }
        return node.toString();
    }

    private static void parameters(ArrayNode out, Iterable<Parameter> parameters) {
        for (Parameter parameter : parameters) {
            ObjectNode entry = out.addObject().put("name", parameter.getName());
            if (parameter.hasQuantity()) {
                entry.putObject("quantity").put("value", parameter.getQuantity().getValue())
                        .put("unit", parameter.getQuantity().getUnit());
            } else {
                entry.put("text", parameter.getText());
            }
        }
    }

    private static ObjectNode vector(Vector3 vector) {
        return JSON.createObjectNode().put("x", vector.getX()).put("y", vector.getY()).put("z", vector.getZ());
    }
}

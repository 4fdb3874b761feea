package org.mihub.gateway.mapping;

import org.mihub.gateway.error.InvalidInput;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * Campaigns and simulations travel as the protobuf JSON mapping of the planning contract
 * (lowerCamelCase fields, enums by name): the REST body of POST /api/v1/campaigns is a
 * CreateCampaignRequest, answers are the service's own messages. One definition of the nested
 * campaign spec, in the proto, instead of a second copy in REST view classes.
 */
public final class PlanningJson {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private PlanningJson() {
    }

    /** Parses a request body; an unknown field or a wrong type is 400 naming it. */
    public static <B extends Message.Builder> B parse(String json, B builder) {
        if (json == null || json.isBlank()) {
            throw new InvalidInput("body", "a JSON object is required");
        }
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidInput("body", e.getMessage());
        }
    }

    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a planning message could not be written as JSON", e);
        }
    }
}

package org.mihub.common.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads this service's readiness checks, the same ones {@code /q/health/ready} reports. */
@ApplicationScoped
public class ReadinessReader {

    @Inject
    SmallRyeHealthReporter reporter;

    public Uni<Readiness> read() {
        return reporter.getReadinessAsync().map(health -> parse(new JsonObject(health.getPayload().toString())));
    }

    static Readiness parse(JsonObject payload) {
        List<Readiness.Check> checks = new ArrayList<>();
        JsonArray array = payload.getJsonArray("checks", new JsonArray());
        for (int i = 0; i < array.size(); i++) {
            JsonObject check = array.getJsonObject(i);
            JsonObject data = check.getJsonObject("data");
            checks.add(new Readiness.Check(check.getString("name", ""), "UP".equals(check.getString("status")),
                    data == null ? "" : data.encode()));
        }
        return new Readiness("UP".equals(payload.getString("status")), checks);
    }
}

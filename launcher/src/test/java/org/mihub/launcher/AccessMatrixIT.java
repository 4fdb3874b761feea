package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.StatusRuntimeException;

/**
 * The access matrix, generated from one table: who may read what, on every surface. Datasets of
 * acme at every visibility and embargo state (in effect, lifted) × callers in every relation to
 * them (anonymous, the owner organisation's members, robot and curator, the organisation it is
 * shared with, another member organisation, an admin) × every way to reach the data: the dataset
 * over REST, its place in the list, its export, its materials in a search, OPTIMADE, the catalog
 * over direct gRPC, and a model trained on it (a derived artifact) over REST and over gRPC.
 *
 * <p>The only expectations are {@link #SEES}: which relations see which effective visibility. A
 * hidden artifact must answer exactly as one that does not exist (no existence oracle). Every
 * mismatch is collected and printed together.
 */
@ExtendWith(RunningSuite.class)
class AccessMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a caller stands to acme's datasets. */
    enum Relation {
        ANONYMOUS, OWNER, SHARED_WITH, OTHER_MEMBER, ADMIN
    }

    /** The table: which relations read an artifact at each effective visibility. */
    private static final Map<String, Set<Relation>> SEES = Map.of(
            "PRIVATE", EnumSet.of(Relation.OWNER, Relation.ADMIN),
            "SHARED", EnumSet.of(Relation.OWNER, Relation.SHARED_WITH, Relation.ADMIN),
            "CONSORTIUM", EnumSet.of(Relation.OWNER, Relation.SHARED_WITH, Relation.OTHER_MEMBER, Relation.ADMIN),
            "PUBLIC", EnumSet.allOf(Relation.class));

    /** Callers: user (null: anonymous) and relation. kansai-u is the organisation SHARED datasets name. */
    private static final Map<String, Relation> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("anonymous", Relation.ANONYMOUS);
        CALLERS.put("alice", Relation.OWNER);
        CALLERS.put("dave", Relation.OWNER);
        CALLERS.put("lab-robot", Relation.OWNER);
        CALLERS.put("bob", Relation.SHARED_WITH);
        CALLERS.put("erin", Relation.OTHER_MEMBER);
        CALLERS.put("carol", Relation.ADMIN);
    }

    /** One dataset of the matrix: how it is shared, the visibility in effect, its elements, what was made of it. */
    private record Case(String name, String sharing, String effective, List<String> elements, String[] ids) {
        String dataset() {
            return ids[0];
        }

        String model() {
            return ids[1];
        }
    }

    private static final List<Case> CASES = new ArrayList<>();
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    /** Rows per dataset: the prediction service trains on no fewer than 10. */
    private static final int ROWS = 10;

    @BeforeAll
    static void acmeSharesDatasetsEveryWay() throws Exception {
        for (String user : CALLERS.keySet()) {
            TOKENS.put(user, user.equals("anonymous") ? null : Tokens.accessToken(RunningSuite.config(), user));
        }
        String year = Instant.now().plus(Duration.ofDays(365)).toString();
        Instant soon = Instant.now().plusSeconds(20);
        add("private", "\"visibility\": \"private\"", "PRIVATE", "Tb", "Dy");
        add("shared with kansai-u", "\"visibility\": \"shared\", \"sharedWith\": [\"kansai-u\"]", "SHARED", "Ho", "Er");
        add("consortium", "\"visibility\": \"consortium\"", "CONSORTIUM", "Tm", "Yb");
        add("public", "\"visibility\": \"public\"", "PUBLIC", "Lu", "Hf");
        add("private, embargo to public in a year", "\"visibility\": \"private\", \"embargo\": {\"until\": \"" + year
                + "\", \"liftsTo\": \"public\"}", "PRIVATE", "Re", "Os");
        add("shared, embargo to consortium in a year", "\"visibility\": \"shared\", \"sharedWith\": [\"kansai-u\"], "
                + "\"embargo\": {\"until\": \"" + year + "\", \"liftsTo\": \"consortium\"}", "SHARED", "Ir", "Pt");
        add("private, embargo to public lifted", "\"visibility\": \"private\", \"embargo\": {\"until\": \"" + soon
                + "\", \"liftsTo\": \"public\"}", "PUBLIC", "Rh", "Pd");
        String alice = TOKENS.get("alice");
        for (Case c : CASES) {
            c.ids()[0] = id(ok(RunningSuite.send("POST", "/api/v1/datasets", alice, "application/json",
                    "{\"title\": \"access matrix: " + c.name() + "\", \"licence\": \"CC-BY-4.0\", " + c.sharing() + "}")));
            StringBuilder rows = new StringBuilder("formula,band_gap [eV]\n");
            for (int i = 1; i <= ROWS; i++) {
                rows.append(c.elements().get(0)).append(i).append(c.elements().get(1)).append(i + 1).append(',')
                        .append(0.4 * i).append('\n');
            }
            ok(RunningSuite.send("POST", "/api/v1/datasets/" + c.dataset() + "/records", alice, "text/csv",
                    rows.toString()));
        }
        // the lifted embargo has passed before its derived model is made and anything is read
        long wait = Duration.between(Instant.now(), soon).toMillis() + 1000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        for (Case c : CASES) {
            String job = id(ok(RunningSuite.send("POST", "/api/v1/models", alice, "application/json",
                    "{\"name\": \"access matrix\", \"datasets\": [{\"datasetId\": \"" + c.dataset() + "\"}], "
                            + "\"targetProperty\": \"band_gap\", \"hyperparameters\": {\"nTrees\": 10}, \"seed\": 5, "
                            + "\"kFolds\": 2}")));
            c.ids()[1] = awaitModel(job, alice);
        }
    }

    private static void add(String name, String sharing, String effective, String a, String b) {
        CASES.add(new Case(name, sharing, effective, List.of(a, b), new String[2]));
    }

    private static HttpResponse<String> ok(HttpResponse<String> reply) {
        assertTrue(reply.statusCode() < 300, reply.statusCode() + " " + reply.body());
        return reply;
    }

    private static String id(HttpResponse<String> reply) throws Exception {
        return JSON.readTree(reply.body()).get("id").asText();
    }

    private static String awaitModel(String job, String token) throws Exception {
        for (int i = 0; i < 600; i++) {
            JsonNode state = JSON.readTree(RunningSuite.get("/api/v1/jobs/" + job, token).body());
            String name = state.path("state").asText();
            if (name.equals("succeeded")) {
                return state.get("resultId").asText();
            }
            assertTrue(name.equals("queued") || name.equals("running"), state.toString());
            Thread.sleep(200);
        }
        throw new AssertionError("training did not end");
    }

    /** What a surface answers, reduced to what can be compared: status, and whether the artifact was in it. */
    private record Seen(String answer, boolean present) {
    }

    /** One way to reach a dataset's data; {@code absent} is the same call about an artifact that does not exist. */
    private interface Surface {
        Seen read(String token, Case c, boolean absent) throws Exception;
    }

    private static final Map<String, Surface> SURFACES = new LinkedHashMap<>();

    static {
        SURFACES.put("REST dataset", (token, c, absent) -> status(RunningSuite.get("/api/v1/datasets/"
                + (absent ? UUID.randomUUID() : c.dataset()), token)));
        SURFACES.put("REST dataset list", (token, c, absent) -> {
            var reply = RunningSuite.get("/api/v1/datasets?limit=50&owner=acme&text=access%20matrix", token);
            return new Seen(Integer.toString(reply.statusCode()), !absent && reply.body().contains(c.dataset()));
        });
        SURFACES.put("REST export", (token, c, absent) -> status(RunningSuite.get("/api/v1/datasets/"
                + (absent ? UUID.randomUUID() : c.dataset()) + "/export?format=csv", token)));
        SURFACES.put("REST material search", (token, c, absent) -> {
            var reply = RunningSuite.get("/api/v1/materials?limit=50&elements=" + String.join(",", c.elements())
                    + "&match=exactly", token);
            return new Seen(Integer.toString(reply.statusCode()), !absent && reply.statusCode() == 200
                    && JSON.readTree(reply.body()).path("materials").size() == ROWS);
        });
        SURFACES.put("OPTIMADE structures", (token, c, absent) -> {
            String filter = "elements HAS ALL \"" + c.elements().get(0) + "\",\"" + c.elements().get(1)
                    + "\" AND nelements=2";
            var reply = RunningSuite.get("/optimade/v1/structures?filter="
                    + URLEncoder.encode(filter, StandardCharsets.UTF_8), token);
            return new Seen(Integer.toString(reply.statusCode()), !absent && reply.statusCode() == 200
                    && JSON.readTree(reply.body()).at("/meta/data_returned").asInt() == ROWS);
        });
        SURFACES.put("gRPC catalog GetDataset", (token, c, absent) -> grpc(Service.CATALOG, token,
                "mihub.catalog.v1.CatalogService/GetDataset", absent ? UUID.randomUUID().toString() : c.dataset()));
        SURFACES.put("REST derived model", (token, c, absent) -> status(RunningSuite.get("/api/v1/models/"
                + (absent ? UUID.randomUUID() : c.model()), token)));
        SURFACES.put("gRPC derived model", (token, c, absent) -> grpc(Service.PREDICTION, token,
                "mihub.prediction.v1.PredictionService/GetModel", absent ? UUID.randomUUID().toString() : c.model()));
    }

    private static Seen status(HttpResponse<String> reply) {
        return new Seen(Integer.toString(reply.statusCode()), reply.statusCode() == 200);
    }

    private static Seen grpc(Service service, String token, String method, String id) {
        try (var probe = new GrpcProbe(RunningSuite.config().portOf(service))) {
            probe.call(token, method, GrpcProbe.stringField1(id));
            return new Seen("OK", true);
        } catch (StatusRuntimeException refused) {
            return new Seen(refused.getStatus().getCode().name(), false);
        }
    }

    @Test
    void everyCallerReadsExactlyWhatTheTableSaysOnEverySurface() throws Exception {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (Case c : CASES) {
            for (var caller : CALLERS.entrySet()) {
                String token = TOKENS.get(caller.getKey());
                boolean sees = SEES.get(c.effective()).contains(caller.getValue());
                for (var surface : SURFACES.entrySet()) {
                    cases++;
                    Seen seen = surface.getValue().read(token, c, false);
                    String cell = c.name() + " × " + caller.getKey() + " × " + surface.getKey();
                    if (seen.present() != sees) {
                        wrong.add(cell + ": " + (sees ? "hidden" : "visible") + " (" + seen.answer() + "), the table says "
                                + (sees ? "visible" : "hidden"));
                    } else if (!sees) {
                        Seen nothing = surface.getValue().read(token, c, true);
                        if (!nothing.answer().equals(seen.answer())) {
                            wrong.add(cell + ": hidden answers " + seen.answer() + " but a missing one " + nothing.answer()
                                    + " (an existence oracle)");
                        }
                    }
                }
            }
        }
        assertTrue(cases >= 300, cases + " cases");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases + " cells differ from the table:\n"
                + String.join("\n", wrong));
    }
}

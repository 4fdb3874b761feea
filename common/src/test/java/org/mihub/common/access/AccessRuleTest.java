package org.mihub.common.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mihub.common.identity.Caller;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The read rule over every visibility × caller organisation × role × embargo state, in Java and
 * as SQL on a real PostgreSQL; the write and curate rules; the inheritance of derived artifacts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessRuleTest {

    private static final String OWNER_ORG = "acme";
    private static final String PARTNER_ORG = "kansai-u";
    private static final String OTHER_ORG = "tohoku";

    /** The caller's organisation relative to the artifact. */
    enum Who {
        OWNER(OWNER_ORG), PARTNER(PARTNER_ORG), OTHER(OTHER_ORG), ANONYMOUS(null);

        final String org;

        Who(String org) {
            this.org = org;
        }
    }

    enum EmbargoState {
        NONE, FUTURE, PAST
    }

    static final List<String> ROLES = List.of(Caller.MEMBER, Caller.CONTRIBUTOR, Caller.CURATOR, Caller.ADMIN);

    /** Roles that grant no data access: a node's service account, a token with only Keycloak's defaults. */
    static final List<String> NO_DATA_ROLES = List.of(Caller.FEDERATION, "offline_access");

    /** The specification: who reads at each visibility in effect (admins read everything). */
    static final Map<Visibility, Set<Who>> READERS = new EnumMap<>(Map.of(
            Visibility.PRIVATE, EnumSet.of(Who.OWNER),
            Visibility.SHARED, EnumSet.of(Who.OWNER, Who.PARTNER),
            Visibility.CONSORTIUM, EnumSet.of(Who.OWNER, Who.PARTNER, Who.OTHER),
            Visibility.PUBLIC, EnumSet.of(Who.OWNER, Who.PARTNER, Who.OTHER, Who.ANONYMOUS)));

    /** One artifact of the table: its stored level, its embargo and the level in effect now. */
    record Row(int id, Visibility stored, EmbargoState state, Visibility liftsTo, Visibility inEffect) {

        Sharing sharing(Instant now) {
            Embargo embargo = switch (state) {
                case NONE -> null;
                case FUTURE -> new Embargo(now.plus(Duration.ofDays(1)), liftsTo);
                case PAST -> new Embargo(now.minus(Duration.ofDays(1)), liftsTo);
            };
            return new Sharing(OWNER_ORG, stored, List.of(PARTNER_ORG), embargo);
        }
    }

    /** A caller of the table; {@code role} is null for anonymous. */
    record Reader(Who who, String role) {

        Optional<Caller> caller() {
            return who == Who.ANONYMOUS ? Optional.empty()
                    : Optional.of(new Caller(who.name().toLowerCase() + "-" + role, who.org, Set.of(role), "", ""));
        }

        boolean expectedToRead(Visibility inEffect) {
            if (role != null && !ROLES.contains(role)) {
                // no data role: reads as anonymous callers do, not even its own organisation's artifacts
                return READERS.get(inEffect).contains(Who.ANONYMOUS);
            }
            return Caller.ADMIN.equals(role) || READERS.get(inEffect).contains(who);
        }

        @Override
        public String toString() {
            return who == Who.ANONYMOUS ? "anonymous" : who + " " + role;
        }
    }

    private final Instant now = Instant.now();
    private final List<Row> rows = rows();
    private final List<Reader> readers = readers();
    private EmbeddedPostgres postgres;

    /** Every stored level, without embargo and with a pending or passed one lifting to each other level. */
    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Visibility stored : Visibility.values()) {
            rows.add(new Row(rows.size(), stored, EmbargoState.NONE, null, stored));
            for (Visibility liftsTo : Visibility.values()) {
                if (liftsTo != stored) {
                    rows.add(new Row(rows.size(), stored, EmbargoState.FUTURE, liftsTo, stored));
                    rows.add(new Row(rows.size(), stored, EmbargoState.PAST, liftsTo, liftsTo));
                }
            }
        }
        return rows;
    }

    private static List<Reader> readers() {
        List<Reader> readers = new ArrayList<>();
        for (Who who : List.of(Who.OWNER, Who.PARTNER, Who.OTHER)) {
            for (String role : ROLES) {
                readers.add(new Reader(who, role));
            }
            for (String role : NO_DATA_ROLES) {
                readers.add(new Reader(who, role));
            }
        }
        readers.add(new Reader(Who.ANONYMOUS, null));
        return readers;
    }

    @BeforeAll
    void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE artifact (id int PRIMARY KEY, owner_org text NOT NULL, "
                    + "visibility text NOT NULL, shared_with text[] NOT NULL, embargo_until timestamptz, "
                    + "embargo_visibility text)");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO artifact VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Row row : rows) {
                    Sharing sharing = row.sharing(now);
                    insert.setInt(1, row.id());
                    insert.setString(2, sharing.ownerOrg());
                    insert.setString(3, sharing.visibility().name());
                    insert.setArray(4, connection.createArrayOf("text", sharing.sharedWith().toArray()));
                    insert.setTimestamp(5, sharing.embargo() == null ? null
                            : Timestamp.from(sharing.embargo().until()));
                    insert.setString(6, sharing.embargo() == null ? null : sharing.embargo().liftsTo().name());
                    insert.executeUpdate();
                }
            }
        }
    }

    @AfterAll
    void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theTableCoversEveryLevelCallerRoleAndEmbargoState() {
        assertEquals(4 * (1 + 2 * 3), rows.size());
        assertEquals(3 * (4 + 2) + 1, readers.size());
        assertEquals(EnumSet.allOf(EmbargoState.class), EnumSet.copyOf(rows.stream().map(Row::state).toList()));
    }

    @Test
    void readsFollowTheVisibilityInEffect() {
        for (Row row : rows) {
            for (Reader reader : readers) {
                assertEquals(reader.expectedToRead(row.inEffect()),
                        AccessRule.canRead(reader.caller(), row.sharing(now), now), reader + " reading " + row);
            }
        }
    }

    @Test
    void theSqlConditionSelectsExactlyWhatTheCallerMayRead() throws SQLException {
        SharingColumns columns = SharingColumns.of("a").withEmbargo("a.embargo_until", "a.embargo_visibility");
        for (Reader reader : readers) {
            Set<Integer> expected = new TreeSet<>();
            for (Row row : rows) {
                if (reader.expectedToRead(row.inEffect())) {
                    expected.add(row.id());
                }
            }
            assertEquals(expected, select(AccessRule.readCondition(reader.caller(), columns)), reader.toString());
        }
    }

    @Test
    void withoutEmbargoColumnsTheSqlConditionReadsTheStoredLevel() throws SQLException {
        for (Reader reader : readers) {
            Set<Integer> expected = new TreeSet<>();
            for (Row row : rows) {
                Sharing stored = new Sharing(OWNER_ORG, row.stored(), List.of(PARTNER_ORG));
                if (AccessRule.canRead(reader.caller(), stored, now)) {
                    expected.add(row.id());
                }
            }
            assertEquals(expected, select(AccessRule.readCondition(reader.caller(), SharingColumns.of("a"))),
                    reader.toString());
        }
    }

    @Test
    void theEffectiveVisibilityExpressionMatchesJava() throws SQLException {
        String expression = SharingColumns.of("a").withEmbargo("a.embargo_until", "a.embargo_visibility")
                .effectiveVisibility();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, " + expression + " FROM artifact a ORDER BY id");
                ResultSet result = select.executeQuery()) {
            int seen = 0;
            while (result.next()) {
                Row row = rows.get(result.getInt(1));
                assertEquals(row.inEffect().name(), result.getString(2), row.toString());
                assertEquals(row.inEffect(), row.sharing(now).effectiveAt(now), row.toString());
                seen++;
            }
            assertEquals(rows.size(), seen);
        }
    }

    @Test
    void anEmbargoEndsAtItsInstant() {
        Instant until = Instant.parse("2027-01-01T00:00:00Z");
        Sharing sharing = new Sharing(OWNER_ORG, Visibility.PRIVATE, List.of(), new Embargo(until, Visibility.PUBLIC));
        assertEquals(Visibility.PRIVATE, sharing.effectiveAt(until.minusMillis(1)));
        assertEquals(Visibility.PUBLIC, sharing.effectiveAt(until));
        assertFalse(AccessRule.canRead(Optional.empty(), sharing, until.minusMillis(1)));
        assertTrue(AccessRule.canRead(Optional.empty(), sharing, until));
        assertThrows(NullPointerException.class, () -> new Embargo(until, null));
        assertThrows(IllegalArgumentException.class, () -> new SharingColumns("o", "v", "s", "u", null));
    }

    @Test
    void writingNeedsContributorAndCuratingCuratorInTheOwnerOrgOrAdmin() {
        // who, role, may write, may curate
        Object[][] table = {
            {Who.OWNER, Caller.MEMBER, false, false},
            {Who.OWNER, Caller.CONTRIBUTOR, true, false},
            {Who.OWNER, Caller.CURATOR, false, true},
            {Who.OWNER, Caller.ADMIN, true, true},
            {Who.PARTNER, Caller.MEMBER, false, false},
            {Who.PARTNER, Caller.CONTRIBUTOR, false, false},
            {Who.PARTNER, Caller.CURATOR, false, false},
            {Who.PARTNER, Caller.ADMIN, true, true},
            {Who.OTHER, Caller.MEMBER, false, false},
            {Who.OTHER, Caller.CONTRIBUTOR, false, false},
            {Who.OTHER, Caller.CURATOR, false, false},
            {Who.OTHER, Caller.ADMIN, true, true},
            {Who.OWNER, Caller.FEDERATION, false, false},
            {Who.PARTNER, Caller.FEDERATION, false, false},
            {Who.OTHER, Caller.FEDERATION, false, false},
        };
        for (Object[] line : table) {
            Reader reader = new Reader((Who) line[0], (String) line[1]);
            Caller caller = reader.caller().orElseThrow();
            assertEquals(line[2], AccessRule.canWrite(caller, OWNER_ORG), reader + " writing");
            assertEquals(line[3], AccessRule.canCurate(caller, OWNER_ORG), reader + " curating");
            assertEquals(reader.who() != Who.OWNER, AccessRule.isCrossOrg(reader.caller(), OWNER_ORG), reader.toString());
        }
        assertTrue(AccessRule.isCrossOrg(Optional.empty(), OWNER_ORG), "anonymous reads are another org's");
    }

    @Test
    void aFederationServiceAccountReadsOnlyWhatAnyoneReadsAndChangesNothing() {
        Caller node = new Caller("service-account-mihub-node-acme", OWNER_ORG, Set.of(Caller.FEDERATION), "", "");
        for (Visibility level : Visibility.values()) {
            Sharing sharing = new Sharing(OWNER_ORG, level, List.of(PARTNER_ORG));
            assertEquals(level == Visibility.PUBLIC, AccessRule.canRead(Optional.of(node), sharing, now), level.name());
        }
        assertFalse(AccessRule.canWrite(node, OWNER_ORG));
        assertFalse(AccessRule.canCurate(node, OWNER_ORG));
        assertFalse(AccessRule.canOperate(node, OWNER_ORG));
        assertEquals(AccessRule.readCondition(Optional.empty(), SharingColumns.of("a")),
                AccessRule.readCondition(Optional.of(node), SharingColumns.of("a")), "the anonymous SQL condition");
        // a data role beside it counts as usual
        Caller member = new Caller("n", PARTNER_ORG, Set.of(Caller.FEDERATION, Caller.MEMBER), "", "");
        assertTrue(AccessRule.canRead(Optional.of(member), new Sharing(OWNER_ORG, Visibility.CONSORTIUM, List.of()), now));
    }

    @Test
    void theLabRobotKeepsItsRights() {
        // the lab-robot service account holds member and contributor
        Caller robot = new Caller("service-account-lab-robot", OWNER_ORG, Set.of(Caller.MEMBER, Caller.CONTRIBUTOR),
                "", "lab-robot");
        assertTrue(AccessRule.canRead(Optional.of(robot), new Sharing(OWNER_ORG, Visibility.PRIVATE, List.of()), now));
        assertTrue(AccessRule.canRead(Optional.of(robot), new Sharing(OTHER_ORG, Visibility.CONSORTIUM, List.of()), now));
        assertTrue(AccessRule.canWrite(robot, OWNER_ORG));
        assertTrue(AccessRule.canOperate(robot, OWNER_ORG));
        assertFalse(AccessRule.canCurate(robot, OWNER_ORG));
    }

    @Test
    void aDerivedArtifactTakesTheMostRestrictiveVisibilityOfItsInputs() {
        Sharing publicData = new Sharing("acme", Visibility.PUBLIC, List.of());
        Sharing consortiumData = new Sharing("tohoku", Visibility.CONSORTIUM, List.of());
        Sharing acmeShared = new Sharing("acme", Visibility.SHARED, List.of("kansai-u", "tohoku"));
        Sharing tohokuShared = new Sharing("tohoku", Visibility.SHARED, List.of("kansai-u", "acme", "riken"));
        Sharing ownPrivate = new Sharing("kansai-u", Visibility.PRIVATE, List.of());

        assertEquals(new Sharing("kansai-u", Visibility.PUBLIC, List.of()),
                Sharing.derived("kansai-u", List.of(publicData, publicData), now));
        assertEquals(new Sharing("kansai-u", Visibility.CONSORTIUM, List.of()),
                Sharing.derived("kansai-u", List.of(publicData, consortiumData), now));
        // SHARED: the owner of the shared data and the other named orgs, not the deriving org itself
        assertEquals(new Sharing("kansai-u", Visibility.SHARED, List.of("acme", "tohoku")),
                sorted(Sharing.derived("kansai-u", List.of(consortiumData, acmeShared), now)));
        // only the orgs every SHARED input allows
        assertEquals(new Sharing("kansai-u", Visibility.SHARED, List.of("acme", "tohoku")),
                sorted(Sharing.derived("kansai-u", List.of(acmeShared, tohokuShared, publicData), now)));
        assertEquals(new Sharing("kansai-u", Visibility.PRIVATE, List.of()),
                Sharing.derived("kansai-u", List.of(acmeShared, ownPrivate), now));
        assertEquals(new Sharing("kansai-u", Visibility.PRIVATE, List.of()),
                Sharing.derived("kansai-u", List.of(), now), "nothing to inherit from: private");
        // an input's embargo counts as it is in effect now; the derived artifact has none
        Sharing embargoed = new Sharing("kansai-u", Visibility.PRIVATE, List.of(),
                new Embargo(now.plus(Duration.ofDays(30)), Visibility.PUBLIC));
        Sharing lifted = new Sharing("kansai-u", Visibility.PRIVATE, List.of(),
                new Embargo(now.minus(Duration.ofDays(30)), Visibility.PUBLIC));
        assertEquals(new Sharing("kansai-u", Visibility.PRIVATE, List.of()),
                Sharing.derived("kansai-u", List.of(embargoed, publicData), now));
        assertEquals(new Sharing("kansai-u", Visibility.PUBLIC, List.of()),
                Sharing.derived("kansai-u", List.of(lifted, publicData), now));
    }

    @Test
    void nobodyReadsADerivedArtifactWhoCannotReadEveryInput() {
        List<String> orgs = List.of("acme", "kansai-u", "tohoku", "riken");
        List<Sharing> pool = new ArrayList<>();
        for (String owner : orgs) {
            pool.add(new Sharing(owner, Visibility.PRIVATE, List.of()));
            pool.add(new Sharing(owner, Visibility.SHARED, List.of("kansai-u")));
            pool.add(new Sharing(owner, Visibility.SHARED, orgs.stream().filter(org -> !org.equals(owner)).toList()));
            pool.add(new Sharing(owner, Visibility.CONSORTIUM, List.of()));
            pool.add(new Sharing(owner, Visibility.PUBLIC, List.of()));
            pool.add(new Sharing(owner, Visibility.PRIVATE, List.of("acme"),
                    new Embargo(now.minus(Duration.ofDays(1)), Visibility.SHARED)));
        }
        int checked = 0;
        for (String deriver : orgs) {
            Optional<Caller> asDeriver = Optional.of(new Caller("d", deriver, Set.of(Caller.MEMBER), "", ""));
            for (Sharing first : pool) {
                for (Sharing second : pool) {
                    if (!AccessRule.canRead(asDeriver, first, now) || !AccessRule.canRead(asDeriver, second, now)) {
                        continue; // an org derives only from what it reads
                    }
                    Sharing derived = Sharing.derived(deriver, List.of(first, second), now);
                    List<Optional<Caller>> everyone = new ArrayList<>();
                    everyone.add(Optional.empty());
                    orgs.forEach(org -> everyone.add(Optional.of(new Caller("r", org, Set.of(Caller.MEMBER), "", ""))));
                    for (Optional<Caller> reader : everyone) {
                        if (AccessRule.canRead(reader, derived, now)) {
                            assertTrue(AccessRule.canRead(reader, first, now) && AccessRule.canRead(reader, second, now),
                                    reader + " reads " + derived + " derived from " + first + " and " + second);
                        }
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "pairs checked: " + checked);
    }

    private static Sharing sorted(Sharing sharing) {
        return new Sharing(sharing.ownerOrg(), sharing.visibility(), sharing.sharedWith().stream().sorted().toList(),
                sharing.embargo());
    }

    private Set<Integer> select(SqlCondition condition) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id FROM artifact a WHERE " + condition.sql())) {
            for (int i = 0; i < condition.parameters().size(); i++) {
                select.setObject(i + 1, condition.parameters().get(i));
            }
            Set<Integer> ids = new TreeSet<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getInt(1));
                }
            }
            return ids;
        }
    }
}

package org.mihub.catalog.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.PropertyRepository;
import org.mihub.catalog.service.Property.ValueType;
import org.mihub.common.error.ApiException;
import org.mihub.common.error.ApiException.FieldViolation;
import org.mihub.common.identity.Caller;
import org.mihub.common.sql.SqlErrors;
import org.mihub.common.sql.Transactions;
import org.mihub.common.text.Suggestions;
import org.mihub.common.units.Units;

/**
 * The property vocabulary: readable by anyone, extended by curators (of any member organisation) and
 * admins. A property is never deleted, and its value type, unit, quantity kind and range never change,
 * so every stored value keeps its meaning; what may change (display names, description, labels added
 * at the end, deprecation) bumps its version.
 *
 * <p>Reads are served from a copy refreshed at most {@value #CACHE_MILLIS} ms after it was read (and at
 * once after a change through this process); an ingest reads the table itself ({@link #current()}), so a
 * property added through another replica is usable at once.
 */
@ApplicationScoped
public class PropertyService {

    static final long CACHE_MILLIS = 5_000;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final int MAX_NAME = 64;
    /** Column names of the CSV ingest that are not properties. */
    private static final Set<String> RESERVED = Set.of("formula", "sample_id", "sample_key", "tags", "method",
            "instrument", "source");
    private static final int MAX_DISPLAY_NAME = 200;
    private static final int MAX_DESCRIPTION = 2_000;
    private static final int MAX_LABEL = 100;
    private static final int MAX_LABELS = 1_000;
    private static final int MAX_REASON = 500;

    @Inject
    DataSource dataSource;

    @Inject
    PropertyRepository repository;

    @Inject
    VocabularyOutbox vocabulary;

    private record Snapshot(Map<String, Property> properties, long readAt) {
    }

    private volatile Snapshot snapshot;

    /** What a curator asks for when adding a property. */
    public record Draft(String name, String displayName, String displayNameJa, String description, ValueType valueType,
            String canonicalUnit, String quantityKind, Double minimum, Double maximum, List<String> labels) {
    }

    /** A change: null leaves a field as it is; {@code addLabels} are appended. */
    public record Change(String displayName, String displayNameJa, String description, List<String> addLabels) {
    }

    /** The answer to a create: the definition, and whether it was added now or existed identically. */
    public record Created(Property property, boolean created) {
    }

    /** Every property by name, sorted by name (at most {@value #CACHE_MILLIS} ms old). */
    public Map<String, Property> all() {
        Snapshot cached = snapshot;
        if (cached == null || System.currentTimeMillis() - cached.readAt() > CACHE_MILLIS) {
            return current();
        }
        return cached.properties();
    }

    /** Every property by name as the table has it now. */
    public Map<String, Property> current() {
        long readAt = System.currentTimeMillis();
        Map<String, Property> properties = read(connection -> Collections.unmodifiableMap(repository.all(connection)));
        snapshot = new Snapshot(properties, readAt);
        return properties;
    }

    public List<Property> list(String text) {
        String needle = text == null ? "" : text.toLowerCase(Locale.ROOT);
        List<Property> matching = new ArrayList<>();
        for (Property property : all().values()) {
            if (needle.isEmpty() || (property.name() + " " + property.displayName() + " " + property.displayNameJa()
                    + " " + property.description()).toLowerCase(Locale.ROOT).contains(needle)) {
                matching.add(property);
            }
        }
        return matching;
    }

    /** One property; NOT_FOUND naming the closest names when the vocabulary has none of that name. */
    public Property get(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("name", "required");
        }
        return read(connection -> repository.find(connection, name, false)).orElseThrow(() -> unknown(name));
    }

    /** NOT_FOUND for a name the vocabulary lacks, with its closest names and how to add one. */
    public ApiException unknown(String name) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "property '" + name + "' is not in the vocabulary"
                + closeMatches(name), List.of());
    }

    /** "; close matches: band_gap, ..." or nothing; with how a curator adds a property. */
    public String closeMatches(String name) {
        return closeMatches(name, all().keySet());
    }

    /**
     * The vocabulary names close to {@code name}, by edit distance or as its start ({@code curie_temp} finds
     * {@code curie_temperature}), at most three, and how a curator adds a property: what every refusal of an
     * unknown property says.
     */
    public static String closeMatches(String name, java.util.Collection<String> names) {
        Set<String> close = new LinkedHashSet<>(Suggestions.closest(name, names, 3));
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.length() >= 3) {
            names.stream().filter(known -> close.size() < 3 && (known.startsWith(lower) || lower.startsWith(known)))
                    .forEach(close::add);
        }
        return (close.isEmpty() ? "" : "; close matches: " + String.join(", ", close))
                + "; to add it, a curator sends POST /api/v1/properties (gRPC CreateProperty)";
    }

    public Created create(Caller caller, Draft draft) {
        requireCurator(caller);
        Property asked = validate(draft, caller.subject(), caller.org());
        return transaction(connection -> {
            var existing = repository.find(connection, asked.name(), false);
            if (existing.isEmpty()) {
                requireHub(asked.name());
            }
            if (existing.isEmpty() && repository.insert(connection, asked)) {
                vocabulary.changed(connection, asked);
                return new Created(asked, true);
            }
            Property found = existing.isPresent() ? existing.get()
                    : repository.find(connection, asked.name(), false).orElseThrow();
            if (found.valueType() != asked.valueType() || !found.canonicalUnit().equals(asked.canonicalUnit())) {
                throw new PropertyConflictException(found, asked.summary());
            }
            return new Created(found, false);
        });
    }

    public Property update(Caller caller, String name, Change change) {
        requireCurator(caller);
        List<FieldViolation> violations = new ArrayList<>();
        if (change.displayName() != null) {
            text(violations, "display_name", change.displayName(), MAX_DISPLAY_NAME, true);
        }
        if (change.displayNameJa() != null) {
            text(violations, "display_name_ja", change.displayNameJa(), MAX_DISPLAY_NAME, false);
        }
        if (change.description() != null) {
            text(violations, "description", change.description(), MAX_DESCRIPTION, false);
        }
        labels(violations, "add_labels", change.addLabels(), false);
        refuse(violations);
        return transaction(connection -> {
            Property found = repository.find(connection, name, true).orElseThrow(() -> unknown(name));
            List<String> labels = new ArrayList<>(found.labels());
            for (String label : change.addLabels()) {
                if (!labels.contains(label)) {
                    labels.add(label);
                }
            }
            if (labels.size() > found.labels().size() && found.valueType() != ValueType.CATEGORICAL) {
                throw ApiException.invalid("add_labels", "'" + name + "' is " + found.summary()
                        + ": only a categorical property has labels");
            }
            if (labels.size() > MAX_LABELS) {
                throw ApiException.invalid("add_labels", "a property has at most " + MAX_LABELS + " labels");
            }
            Property changed = new Property(found.name(), orElse(change.displayName(), found.displayName()),
                    orElse(change.displayNameJa(), found.displayNameJa()),
                    orElse(change.description(), found.description()), found.valueType(), found.canonicalUnit(),
                    found.quantityKind(), found.minimum(), found.maximum(), labels, found.addedBy(),
                    found.addedByOrg(), found.addedAt(), now(), found.version() + 1, found.deprecated(),
                    found.deprecationReason());
            if (sameContent(found, changed)) {
                return found;
            }
            requireHub(name);
            repository.update(connection, changed);
            vocabulary.changed(connection, changed);
            return changed;
        });
    }

    public Property deprecate(Caller caller, String name, String reason) {
        requireCurator(caller);
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON) {
            throw ApiException.invalid("reason", "at most " + MAX_REASON + " characters");
        }
        return transaction(connection -> {
            Property found = repository.find(connection, name, true).orElseThrow(() -> unknown(name));
            if (found.deprecated()) {
                return found;
            }
            requireHub(name);
            Property changed = new Property(found.name(), found.displayName(), found.displayNameJa(),
                    found.description(), found.valueType(), found.canonicalUnit(), found.quantityKind(),
                    found.minimum(), found.maximum(), found.labels(), found.addedBy(), found.addedByOrg(),
                    found.addedAt(), now(), found.version() + 1, true, why);
            repository.update(connection, changed);
            vocabulary.changed(connection, changed);
            return changed;
        });
    }

    /** Curators of any member organisation and admins change the vocabulary: it is the consortium's. */
    static void requireCurator(Caller caller) {
        if (!caller.hasRole(Caller.CURATOR) && !caller.hasRole(Caller.ADMIN)) {
            throw ApiException.denied("role 'curator' (of any member organisation) or 'admin' is required to change "
                    + "the property vocabulary");
        }
    }

    /**
     * At a node of a federation the vocabulary is the hub's: a change that would write (a new property,
     * a real change) is refused, naming where to make it. Asking for what exists already still answers.
     */
    private void requireHub(String name) {
        if (vocabulary.follows()) {
            throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "the property vocabulary is the "
                    + "consortium's: this node takes it from the hub, so '" + name + "' is added or changed at the "
                    + "hub (POST or PATCH /api/v1/properties there, as a curator with a consortium token) and "
                    + "reaches this node within seconds", List.of());
        }
    }

    /** What became of a definition the hub published, at a node. */
    public enum Applied {
        /** The node had no such property: added as the hub defines it. */
        ADDED,
        /** Names, description, labels or deprecation taken from the hub, and its version. */
        UPDATED,
        /** The node has this definition already. */
        UNCHANGED,
        /** The node has a later version (a message delivered again after a newer one). */
        OLDER
    }

    /**
     * A hub's definition a node cannot apply: its values would change meaning. Unchecked, so that it leaves
     * the transaction as it is (which rolls back).
     */
    public static final class VocabularyConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VocabularyConflict(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Checks a definition the hub published by the rules a curator's request meets here (name, unit,
     * quantity kind, labels, sizes); INVALID_ARGUMENT naming the field when it breaks one.
     */
    public void checkPublished(Property published) {
        validate(new Draft(published.name(), published.displayName(), published.displayNameJa(),
                published.description(), published.valueType(), published.canonicalUnit(), published.quantityKind(),
                published.minimum(), published.maximum(), published.labels()), published.addedBy(),
                published.addedByOrg());
        if (published.deprecationReason().length() > MAX_REASON) {
            throw ApiException.invalid("deprecation_reason", "at most " + MAX_REASON + " characters");
        }
    }

    /**
     * Applies a definition the hub published (checked with {@link #checkPublished}) in one transaction. A
     * property the node lacks is added as the hub has it; one it has takes the hub's names, description,
     * labels, deprecation and version when the hub's version is not older. The value type, unit and
     * existing labels of a property never change at a node (its stored values would change meaning): a
     * hub definition that differs in them is a {@link VocabularyConflict}, and nothing is written.
     */
    public Applied applyPublished(Property published) {
        return transaction(connection -> {
            var local = repository.find(connection, published.name(), true);
            if (local.isEmpty()) {
                if (!repository.insert(connection, published)) {
                    throw new ApiException(ApiException.Kind.ABORTED, "'" + published.name()
                            + "' was added at the same time", List.of());
                }
                return Applied.ADDED;
            }
            Property mine = local.get();
            String conflict = conflict(mine, published);
            if (conflict != null) {
                throw new VocabularyConflict(conflict);
            }
            if (published.version() < mine.version()) {
                return Applied.OLDER;
            }
            if (published.version() == mine.version() && sameContent(mine, published)
                    && mine.deprecated() == published.deprecated()
                    && mine.deprecationReason().equals(published.deprecationReason())) {
                return Applied.UNCHANGED;
            }
            repository.update(connection, new Property(mine.name(), published.displayName(),
                    published.displayNameJa(), published.description(), mine.valueType(), mine.canonicalUnit(),
                    mine.quantityKind(), mine.minimum(), mine.maximum(), published.labels(), mine.addedBy(),
                    mine.addedByOrg(), mine.addedAt(), published.updatedAt(), published.version(),
                    published.deprecated(), published.deprecationReason()));
            return Applied.UPDATED;
        });
    }

    /** Why the hub's definition cannot replace this node's, or null when it can. */
    private static String conflict(Property mine, Property published) {
        if (mine.valueType() != published.valueType() || !mine.canonicalUnit().equals(published.canonicalUnit())) {
            return "the hub defines '" + mine.name() + "' as " + published.summary() + ", this node as "
                    + mine.summary();
        }
        if (published.labels().size() < mine.labels().size()
                || !published.labels().subList(0, mine.labels().size()).equals(mine.labels())) {
            return "the hub's labels of '" + mine.name() + "' " + published.labels() + " do not begin with this "
                    + "node's " + mine.labels() + " (a label's position is its stored code)";
        }
        return null;
    }

    private Property validate(Draft draft, String addedBy, String addedByOrg) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = draft.name() == null ? "" : draft.name();
        if (name.isEmpty()) {
            violations.add(new FieldViolation("name", "required"));
        } else if (RESERVED.contains(name) || name.endsWith("_uncertainty")) {
            violations.add(new FieldViolation("name", "'" + name + "' is an ingest column of its own (formula, "
                    + "sample_id, tags, method, instrument, source, <property>_uncertainty): choose another name"));
        } else if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            violations.add(new FieldViolation("name", "'" + name + "' is not a name: lower snake case (a-z, 0-9 and "
                    + "single underscores, starting with a letter), at most " + MAX_NAME + " characters, e.g. tc_onset"));
        }
        text(violations, "display_name", draft.displayName(), MAX_DISPLAY_NAME, true);
        text(violations, "display_name_ja", draft.displayNameJa(), MAX_DISPLAY_NAME, false);
        text(violations, "description", draft.description(), MAX_DESCRIPTION, false);
        ValueType type = draft.valueType() == null ? ValueType.NUMERIC : draft.valueType();
        String unit = draft.canonicalUnit() == null ? "" : draft.canonicalUnit().strip();
        String kind = draft.quantityKind() == null ? "" : draft.quantityKind().strip().toLowerCase(Locale.ROOT);
        List<String> labels = draft.labels() == null ? List.of() : draft.labels();
        if (type == ValueType.NUMERIC) {
            numeric(violations, unit, kind, draft.minimum(), draft.maximum());
        } else {
            for (var field : List.of(new String[] {"canonical_unit", unit}, new String[] {"quantity_kind", kind})) {
                if (!field[1].isEmpty()) {
                    violations.add(new FieldViolation(field[0], "only a numeric property has one; this one is "
                            + type.wire()));
                }
            }
            if (draft.minimum() != null || draft.maximum() != null) {
                violations.add(new FieldViolation(draft.minimum() != null ? "minimum" : "maximum",
                        "only a numeric property has a range; this one is " + type.wire()));
            }
        }
        if (type == ValueType.CATEGORICAL) {
            labels(violations, "labels", labels, true);
        } else if (!labels.isEmpty()) {
            violations.add(new FieldViolation("labels", "only a categorical property has labels; this one is "
                    + type.wire()));
        }
        refuse(violations);
        Instant now = now();
        return new Property(name, draft.displayName().strip(),
                draft.displayNameJa() == null ? "" : draft.displayNameJa().strip(),
                draft.description() == null ? "" : draft.description().strip(), type, unit, kind, draft.minimum(),
                draft.maximum(), labels, addedBy, addedByOrg, now, now, 1, false, "");
    }

    /** A numeric property's unit (UCUM, suggesting close symbols), its kind (consistent with the others) and range. */
    private void numeric(List<FieldViolation> violations, String unit, String kind, Double minimum, Double maximum) {
        if (unit.isEmpty()) {
            violations.add(new FieldViolation("canonical_unit", "required for a numeric property: a UCUM symbol, "
                    + "e.g. K, eV, MPa, g/cm3, or 1 for a dimensionless number"));
        } else {
            try {
                Units.parse(unit);
                if (!kind.isEmpty()) {
                    for (Property other : all().values()) {
                        if (other.numeric() && other.quantityKind().equals(kind)) {
                            try {
                                Units.converter(unit, other.canonicalUnit());
                            } catch (Units.UnitException e) {
                                violations.add(new FieldViolation("quantity_kind", "'" + kind + "' is measured in "
                                        + "units like " + other.canonicalUnit() + " (property " + other.name()
                                        + "), which '" + unit + "' cannot be converted to"));
                            }
                            break;
                        }
                    }
                }
            } catch (Units.UnitException e) {
                Set<String> ours = new LinkedHashSet<>();
                all().values().stream().filter(Property::numeric).forEach(p -> ours.add(p.canonicalUnit()));
                List<String> close = Units.suggest(unit, ours, 5);
                violations.add(new FieldViolation("canonical_unit", "unknown unit '" + unit + "' (UCUM symbols, "
                        + "case-sensitive)" + (close.isEmpty() ? "" : "; close matches: " + String.join(", ", close))));
            }
        }
        if (kind.isEmpty()) {
            violations.add(new FieldViolation("quantity_kind", "required for a numeric property, e.g. temperature, "
                    + "energy, pressure"));
        } else if (kind.length() > MAX_DISPLAY_NAME) {
            violations.add(new FieldViolation("quantity_kind", "at most " + MAX_DISPLAY_NAME + " characters"));
        }
        for (var bound : new Object[][] {{"minimum", minimum}, {"maximum", maximum}}) {
            if (bound[1] != null && !Double.isFinite((Double) bound[1])) {
                violations.add(new FieldViolation((String) bound[0], "must be a finite number"));
            }
        }
        if (minimum != null && maximum != null && minimum > maximum) {
            violations.add(new FieldViolation("maximum", "is below minimum (" + minimum + ")"));
        }
    }

    private static void labels(List<FieldViolation> violations, String field, List<String> labels, boolean required) {
        if (required && labels.isEmpty()) {
            violations.add(new FieldViolation(field, "a categorical property needs at least one label"));
        }
        if (labels.size() > MAX_LABELS) {
            violations.add(new FieldViolation(field, "at most " + MAX_LABELS + " labels"));
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            String at = field + "[" + i + "]";
            if (label == null || label.isBlank()) {
                violations.add(new FieldViolation(at, "empty"));
            } else if (!label.equals(label.strip()) || label.length() > MAX_LABEL || label.contains(",")
                    || label.chars().anyMatch(Character::isISOControl)) {
                violations.add(new FieldViolation(at, "'" + label + "' is not a label: at most " + MAX_LABEL
                        + " characters, no commas, control characters or surrounding spaces"));
            } else if (!seen.add(label)) {
                violations.add(new FieldViolation(at, "'" + label + "' is given twice"));
            }
        }
    }

    private static void text(List<FieldViolation> violations, String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                violations.add(new FieldViolation(field, "required"));
            }
        } else if (value.length() > max) {
            violations.add(new FieldViolation(field, "at most " + max + " characters"));
        } else if (value.indexOf('\0') >= 0) {
            violations.add(new FieldViolation(field, "contains a NUL character"));
        }
    }

    private static void refuse(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_ARGUMENT, violations.get(0).field() + ": "
                    + violations.get(0).reason(), violations);
        }
    }

    private static boolean sameContent(Property a, Property b) {
        return a.displayName().equals(b.displayName()) && a.displayNameJa().equals(b.displayNameJa())
                && a.description().equals(b.description()) && a.labels().equals(b.labels());
    }

    private static String orElse(String value, String otherwise) {
        return value == null ? otherwise : value.strip();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T read(Transactions.Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** A change in one transaction; the cached copy is dropped after it. */
    private <T> T transaction(Transactions.Work<T> work) {
        try {
            return Transactions.inTransaction(dataSource::getConnection, work);
        } finally {
            snapshot = null;
        }
    }
}

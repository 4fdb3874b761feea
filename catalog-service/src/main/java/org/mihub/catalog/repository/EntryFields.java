package org.mihub.catalog.repository;

import java.util.List;
import java.util.Optional;

import org.mihub.catalog.optimade.Filter;
import org.mihub.common.error.ApiException;
import org.mihub.common.optimade.ProviderPrefix;

/**
 * The properties of one OPTIMADE entry type as SQL: what each name is (a value, a list, a measured
 * property, unknown), the SQL that yields it, and the tables the entries come from. Names follow
 * the specification's rules: a standard name this database does not hold is unknown (null), a name
 * with another provider's prefix is unknown with a warning, and any other name is refused.
 */
public interface EntryFields {

    /** The provider prefix of mihub's own fields ({@code _mihub_...}). */
    String PREFIX = ProviderPrefix.MIHUB;

    enum Type {
        STRING, INTEGER, FLOAT, TIMESTAMP
    }

    enum Shape {
        /** One value per entry (SQL NULL when unknown). */
        VALUE,
        /** An SQL array, items of {@code type}. */
        LIST,
        /** A catalog property: one value per measurement, in its canonical unit. */
        MEASURED,
        /**
         * A list of lists or objects (lattice vectors, sites, species): filterable with IS KNOWN,
         * IS UNKNOWN and LENGTH; {@code sql} is its length, SQL NULL when unknown.
         */
        OPAQUE,
        /** Known to OPTIMADE but not held by mihub, or another provider's: always null. */
        UNKNOWN
    }

    /**
     * A resolved field: {@code sql} is the value, the array, the measured property's name or the
     * length; {@code optimadeType}, {@code description} and {@code unit} are what /info/{type} says.
     */
    record Field(String name, Shape shape, Type type, String sql, boolean sortable, String optimadeType,
            String description, String unit) {

        /** One value per entry; sortable unless it is {@code type}. */
        static Field value(String name, Type type, String sql, String description, String unit) {
            String optimadeType = switch (type) {
                case STRING -> "string";
                case INTEGER -> "integer";
                case FLOAT -> "float";
                case TIMESTAMP -> "timestamp";
            };
            return new Field(name, Shape.VALUE, type, sql, !name.equals("type"), optimadeType, description, unit);
        }

        static Field list(String name, Type items, String sql, String description) {
            return new Field(name, Shape.LIST, items, sql, false, "list", description, null);
        }

        static Field unknown(String name) {
            return new Field(name, Shape.UNKNOWN, null, null, false, "",
                    "A standard OPTIMADE property this database does not hold: always null.", null);
        }
    }

    /** The entry type, as in {@code /info/structures}. */
    String entryType();

    /** The tables the entries come from, e.g. {@code material m JOIN dataset d ON d.id = m.dataset_id}. */
    String from();

    /** The entry's id column, e.g. {@code m.id}: the last sort key. */
    String id();

    /** The column of the dataset an entry belongs to, which the caller must be allowed to read. */
    String datasetId();

    /** The field of this name, if it is one of this entry type's. */
    Optional<Field> lookup(String name);

    /**
     * The field a filter or sort names. Another provider's field resolves to UNKNOWN and adds a
     * warning; an unknown unprefixed name, or an unknown {@code _mihub_} name, is INVALID_ARGUMENT.
     */
    default Field resolve(Filter.Property property, List<String> warnings) {
        String name = property.path().get(0);
        String prefix = ProviderPrefix.of(name);
        if (prefix != null && !prefix.equals(PREFIX)) {
            String warning = "'" + property.name() + "' belongs to the provider '" + prefix
                    + "', not to this database: it has been treated as unknown";
            if (!warnings.contains(warning)) {
                warnings.add(warning);
            }
            return new Field(property.name(), Shape.UNKNOWN, null, null, false, null, null, null);
        }
        Field field = lookup(name).orElseThrow(() -> ApiException.invalid("filter", "position "
                + property.position() + ": unknown property '" + name + "' (see /info/" + entryType()
                + " for the properties of this database)"));
        if (property.path().size() > 1) {
            throw ApiException.invalid("filter", "position " + property.position() + ": '" + name
                    + "' has no nested properties");
        }
        return field;
    }
}

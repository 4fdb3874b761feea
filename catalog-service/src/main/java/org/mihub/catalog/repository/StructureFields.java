package org.mihub.catalog.repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mihub.catalog.service.Property;

/**
 * The OPTIMADE {@code structures} properties as SQL over {@code material m} joined with
 * {@code dataset d}: the standard ones, mihub's own, and one {@code _mihub_<property>} per property
 * of the catalog's vocabulary.
 */
public final class StructureFields implements EntryFields {

    private static final Map<String, Field> STANDARD = new LinkedHashMap<>();

    private static void value(String name, Type type, String sql, String description, String unit) {
        STANDARD.put(name, Field.value(name, type, sql, description, unit));
    }

    private static void list(String name, Type items, String sql, String description) {
        STANDARD.put(name, Field.list(name, items, sql, description));
    }

    private static void opaque(String name, String length, String description, String unit) {
        STANDARD.put(name, new Field(name, Shape.OPAQUE, Type.INTEGER, length, false, "list", description, unit));
    }

    static {
        value("id", Type.STRING, "m.id::text", "The material's id in this database (a UUID).", null);
        value("type", Type.STRING, "'structures'::text", "Always \"structures\".", null);
        value("immutable_id", Type.STRING, "m.id::text", "The same as id: materials are never changed.", null);
        value("last_modified", Type.TIMESTAMP, "m.created_at", "When the material was ingested.", null);
        list("elements", Type.STRING, "m.elements", "The chemical symbols of the elements, alphabetical.");
        value("nelements", Type.INTEGER, "m.nelements", "The number of distinct elements.", null);
        list("elements_ratios", Type.FLOAT, "m.elements_ratios",
                "The atomic fraction of each element, in the order of elements; they sum to 1.");
        value("chemical_formula_descriptive", Type.STRING, "m.formula",
                "The formula exactly as the contributor gave it, e.g. (Fe0.5Co0.5)2O3 or CuSO4·5H2O.", null);
        value("chemical_formula_reduced", Type.STRING, "m.formula_alphabetical", "Elements alphabetical with the "
                + "smallest whole proportions, 1 omitted (Fe2O3); null when the amounts have none.", null);
        value("chemical_formula_anonymous", Type.STRING, "m.formula_anonymous",
                "The reduced proportions in decreasing order with letters for elements (A3B2 for Fe2O3).", null);
        value("nsites", Type.INTEGER, "jsonb_array_length(m.structure->'sites')",
                "The number of sites of the crystal structure; null when no structure is known.", null);
        value("nperiodic_dimensions", Type.INTEGER, "(CASE WHEN m.structure IS NULL THEN NULL ELSE 3 END)",
                "3 for a known crystal structure, null otherwise.", null);
        list("dimension_types", Type.INTEGER,
                "(CASE WHEN m.structure IS NULL THEN NULL ELSE ARRAY[1,1,1]::int8[] END)",
                "[1, 1, 1] for a known crystal structure (periodic in three dimensions), null otherwise.");
        list("structure_features", Type.STRING, "(CASE WHEN EXISTS (SELECT 1 FROM "
                + "jsonb_array_elements(m.structure->'sites') s WHERE (s->>'occupancy')::float8 < 1) "
                + "THEN ARRAY['disorder'] ELSE ARRAY[]::text[] END)",
                "[\"disorder\"] when a site is partly occupied, otherwise [].");
        value("space_group_symbol_hermann_mauguin", Type.STRING, "(m.structure->>'space_group_symbol')",
                "The Hermann-Mauguin space-group symbol, when the contributor gave it.", null);
        value("space_group_it_number", Type.INTEGER, "(m.structure->>'space_group_number')::int",
                "The International Tables space-group number, when the contributor gave it.", null);
        String sites = "jsonb_array_length(m.structure->'sites')";
        opaque("lattice_vectors", "(CASE WHEN m.structure IS NULL THEN NULL ELSE 3 END)",
                "The three lattice vectors, Cartesian.", "Å");
        opaque("cartesian_site_positions", sites, "The Cartesian position of each site.", "Å");
        opaque("species_at_sites", sites, "The species name of each site.", null);
        // One species per element and occupancy, as the gateway names them (Fe, Fe_0.5).
        opaque("species", "(CASE WHEN m.structure IS NULL THEN NULL ELSE (SELECT count(DISTINCT (s->>'species', "
                + "LEAST(coalesce((s->>'occupancy')::float8, 1), 1))) FROM jsonb_array_elements(m.structure->'sites') s) "
                + "END)", "The species: name, chemical symbols and their concentrations (a partly occupied site "
                + "has a vacancy for the rest).", null);
        for (String unknown : List.of("chemical_formula_hill", "assemblies", "space_group_symmetry_operations_xyz",
                "space_group_symbol_hall", "space_group_symbol_hermann_mauguin_extended", "fractional_site_positions",
                "site_coordinate_span", "site_coordinate_span_description", "wyckoff_positions",
                "optimization_type")) {
            STANDARD.put(unknown, Field.unknown(unknown));
        }
        value("_" + PREFIX + "_dataset_id", Type.STRING, "m.dataset_id::text", "The dataset the material is in.",
                null);
        value("_" + PREFIX + "_owner_org", Type.STRING, "d.owner_org", "The organisation that owns the dataset.",
                null);
        value("_" + PREFIX + "_sample_key", Type.STRING, "m.sample_key", "The contributor's own sample id.", null);
        value("_" + PREFIX + "_formula_pymatgen", Type.STRING, "m.reduced_formula",
                "The reduced formula as pymatgen writes it (by electronegativity), as in mihub's own API.", null);
        list("_" + PREFIX + "_tags", Type.STRING, "m.tags", "The contributor's tags.");
    }

    private final Map<String, Property> measured;

    /** @param measured the catalog's property vocabulary, served as {@code _mihub_<name>} */
    public StructureFields(Map<String, Property> measured) {
        this.measured = measured;
    }

    /**
     * The fields of this database, in the order /info/structures lists them: the standard and fixed
     * ones (with the standard ones it does not hold, shape UNKNOWN), then one
     * {@code _mihub_<property>} per property of the vocabulary (name to canonical unit).
     */
    public static List<Field> all(Map<String, Property> vocabulary) {
        List<Field> all = new java.util.ArrayList<>(STANDARD.values());
        vocabulary.values().forEach(property -> all.add(measured(property)));
        return all;
    }

    /**
     * A numeric property is a float in its canonical unit (the value shown is the mean); a categorical or
     * text one a string, a boolean one a boolean, compared with the measurement's label (the value shown
     * is the first measurement's).
     */
    private static Field measured(Property property) {
        String name = property.name();
        if (property.numeric()) {
            return new Field("_" + PREFIX + "_" + name, Shape.MEASURED, Type.FLOAT, name, true, "float",
                    "The measured " + name.replace('_', ' ') + " in " + property.canonicalUnit() + ": a filter matches "
                            + "when any of the material's measurements does; the value shown is their mean.",
                    property.canonicalUnit());
        }
        boolean bool = property.valueType() == Property.ValueType.BOOLEAN;
        return new Field("_" + PREFIX + "_" + name, Shape.MEASURED, Type.STRING, name, false,
                bool ? "boolean" : "string", "The " + name.replace('_', ' ') + " (" + property.summary() + "): a "
                        + "filter matches when any of the material's measurements does"
                        + (bool ? " (= TRUE or = \"true\")" : "") + "; the value shown is the first one's.", null);
    }

    @Override
    public String entryType() {
        return "structures";
    }

    @Override
    public String from() {
        return "material m JOIN dataset d ON d.id = m.dataset_id";
    }

    @Override
    public String id() {
        return "m.id";
    }

    @Override
    public String datasetId() {
        return "m.dataset_id";
    }

    @Override
    public Optional<Field> lookup(String name) {
        Field field = STANDARD.get(name);
        if (field != null) {
            return Optional.of(field);
        }
        String own = "_" + PREFIX + "_";
        if (name.startsWith(own) && measured.containsKey(name.substring(own.length()))) {
            return Optional.of(measured(measured.get(name.substring(own.length()))));
        }
        return Optional.empty();
    }
}

package org.mihub.catalog.repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OPTIMADE {@code references} properties as SQL over {@code dataset d}: every dataset the caller
 * may read is a reference, cited by its title, DOI and citation text. The bibliographic fields a
 * dataset does not record (authors, journal, year, ...) are unknown.
 */
public final class ReferenceFields implements EntryFields {

    private static final Map<String, Field> STANDARD = new LinkedHashMap<>();

    private static void add(Field field) {
        STANDARD.put(field.name(), field);
    }

    static {
        add(Field.value("id", Type.STRING, "d.id::text", "The dataset's id in this database (a UUID).", null));
        add(Field.value("type", Type.STRING, "'references'::text", "Always \"references\".", null));
        add(Field.value("immutable_id", Type.STRING, "d.id::text", "The same as id.", null));
        add(Field.value("last_modified", Type.TIMESTAMP, "d.updated_at",
                "When the dataset's metadata, sharing or data last changed.", null));
        add(Field.value("title", Type.STRING, "d.title", "The dataset's title.", null));
        add(Field.value("doi", Type.STRING, "d.doi", "The DOI of the dataset or of its publication.", null));
        add(Field.value("url", Type.STRING, "(CASE WHEN d.doi IS NULL THEN NULL ELSE 'https://doi.org/' || d.doi END)",
                "The DOI as a URL.", null));
        add(Field.value("note", Type.STRING, "NULLIF(d.citation, '')",
                "The citation the contributor asks for, as they wrote it.", null));
        for (String unknown : List.of("authors", "editors", "address", "annote", "bib_type", "booktitle", "chapter",
                "crossref", "edition", "howpublished", "institution", "journal", "key", "month", "number",
                "organization", "pages", "publisher", "school", "series", "volume", "year")) {
            add(Field.unknown(unknown));
        }
        add(Field.value("_" + PREFIX + "_owner_org", Type.STRING, "d.owner_org",
                "The organisation that owns the dataset.", null));
        add(Field.value("_" + PREFIX + "_licence", Type.STRING, "d.licence",
                "The licence of the data, an SPDX identifier.", null));
        add(Field.value("_" + PREFIX + "_description", Type.STRING, "d.description",
                "The dataset's description (methods, scope, provenance).", null));
        add(Field.value("_" + PREFIX + "_nmaterials", Type.INTEGER, "d.row_count",
                "The number of materials in the dataset.", null));
    }

    /** The fields in the order /info/references lists them. */
    public static List<Field> all() {
        return List.copyOf(STANDARD.values());
    }

    @Override
    public String entryType() {
        return "references";
    }

    @Override
    public String from() {
        return "dataset d";
    }

    @Override
    public String id() {
        return "d.id";
    }

    @Override
    public String datasetId() {
        return "d.id";
    }

    @Override
    public Optional<Field> lookup(String name) {
        return Optional.ofNullable(STANDARD.get(name));
    }
}

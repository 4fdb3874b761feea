package org.mihub.catalog.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.catalog.repository.MaterialRepository;
import org.mihub.common.error.ApiException;
import org.mihub.common.identity.Caller;

/**
 * A whole dataset, read page by page in id order (as it was at a version, if asked), for a
 * streamed export. Each page is one query, so nothing but the current page is held and no
 * connection stays open between pages; the read is written to the owner's access log at the end.
 */
@ApplicationScoped
public class ExportService {

    private static final int PAGE = 1000;

    @Inject
    DataSource dataSource;

    @Inject
    DatasetService datasets;

    @Inject
    MaterialRepository materials;

    /** The dataset to export and the version exported; NOT_FOUND when hidden, INVALID_ARGUMENT for a future version. */
    public record Plan(Dataset dataset, int version, List<String> properties) {
    }

    public Plan plan(Optional<Caller> caller, UUID datasetId, Integer asOfVersion) {
        Dataset dataset = datasets.visible(caller, datasetId);
        int version = asOfVersion == null ? dataset.version() : asOfVersion;
        if (version < 1 || version > dataset.version()) {
            throw ApiException.invalid("as_of_version", "the dataset has versions 1 to " + dataset.version());
        }
        List<String> properties = DatasetService.call(() -> {
            try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                    .prepareStatement("SELECT DISTINCT x.property FROM measurement x JOIN material m ON m.id = "
                            + "x.material_id WHERE x.dataset_id = ? AND m.dataset_version <= ? ORDER BY 1")) {
                select.setObject(1, datasetId);
                select.setInt(2, version);
                List<String> names = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
                return names;
            }
        });
        return new Plan(dataset, version, properties);
    }

    /** Pages of materials with their measurements, in id order. */
    public Iterator<List<Material>> pages(Plan plan) {
        return new Iterator<>() {
            private List<Material> next;
            private UUID after;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = page(plan, after);
                    if (next.isEmpty()) {
                        done = true;
                        next = null;
                    } else {
                        after = next.get(next.size() - 1).id();
                        done = next.size() < PAGE;
                    }
                }
                return next != null;
            }

            @Override
            public List<Material> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Material> page = next;
                next = null;
                return page;
            }
        };
    }

    private List<Material> page(Plan plan, UUID after) {
        String sql = "SELECT " + MaterialRepository.COLUMNS + " FROM material m JOIN dataset d ON d.id = m.dataset_id "
                + "WHERE m.dataset_id = ? AND m.dataset_version <= ?" + (after == null ? "" : " AND m.id > ?")
                + " ORDER BY m.id LIMIT " + PAGE;
        List<Object> parameters = new ArrayList<>(List.of(plan.dataset().id(), plan.version()));
        if (after != null) {
            parameters.add(after);
        }
        return DatasetService.call(() -> materials.search(sql, parameters));
    }

    /** The finished export, in the owner's access log when the reader is of another organisation. */
    public void exported(Optional<Caller> caller, Dataset dataset, long records) {
        datasets.logRead(caller, dataset, "export", records);
    }
}

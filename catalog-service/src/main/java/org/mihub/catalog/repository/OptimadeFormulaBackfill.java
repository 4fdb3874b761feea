package org.mihub.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.ingest.MaterialWriter;
import org.mihub.common.chemistry.Composition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;

/**
 * Fills the OPTIMADE formula columns (migration V4) of materials written before them, from the
 * stored composition, in batches, when the service starts. New materials get them at ingest, so
 * after the first start on V4 there is nothing left to do, and the check reads the partial index
 * of V6, which is empty.
 */
@ApplicationScoped
public class OptimadeFormulaBackfill {

    private static final Logger LOG = Logger.getLogger(OptimadeFormulaBackfill.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Double>> AMOUNTS = new TypeReference<>() {
    };
    private static final int BATCH = 1000;

    @Inject
    DataSource dataSource;

    void onStart(@Observes StartupEvent start) throws SQLException {
        long filled = 0;
        int batch;
        do {
            batch = fillBatch();
            filled += batch;
        } while (batch == BATCH);
        if (filled > 0) {
            LOG.infof("filled the OPTIMADE formula columns of %d materials written before them", filled);
        }
    }

    private int fillBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, composition::text FROM material WHERE elements_ratios IS NULL LIMIT " + BATCH);
                PreparedStatement update = connection.prepareStatement("UPDATE material SET formula_alphabetical = ?, "
                        + "formula_anonymous = ?, elements_ratios = ?::float8[] WHERE id = ?")) {
            int count = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    var optimade = Composition.of(amounts(rows.getString(2))).optimadeForms();
                    update.setString(1, optimade.reduced());
                    update.setString(2, optimade.anonymous());
                    update.setString(3, MaterialWriter.numbers(optimade.ratios()));
                    update.setObject(4, rows.getObject(1, UUID.class));
                    update.addBatch();
                    count++;
                }
            }
            if (count > 0) {
                update.executeBatch();
            }
            return count;
        }
    }

    private static Map<String, Double> amounts(String json) {
        try {
            return JSON.readValue(json, AMOUNTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored composition is not JSON", e);
        }
    }
}

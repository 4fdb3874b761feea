package org.mihub.catalog.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.config.TableMaintenanceConfig;

/**
 * After a large ingest, refreshes the planner statistics and the visibility map of the material
 * tables at once instead of waiting for autovacuum: searches then plan with the real row counts,
 * and property ranges are answered by index-only scans. Runs in the background, one at a time;
 * requests that arrive meanwhile fold into one more run.
 */
@ApplicationScoped
public class TableMaintenance {

    private static final Logger LOG = Logger.getLogger(TableMaintenance.class);

    @Inject
    DataSource dataSource;

    @Inject
    TableMaintenanceConfig config;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "table-maintenance");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    /** Schedules a VACUUM (ANALYZE) when {@code rows} reaches the threshold. */
    public void afterBulkWrite(long rows) {
        if (rows < config.maintenanceAfterRows() || !queued.compareAndSet(false, true)) {
            return;
        }
        worker.execute(() -> {
            queued.set(false);
            long start = System.nanoTime();
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                // a vacuum of large tables may outlast the pool's statement timeout; the connection gets it back
                statement.execute("SET statement_timeout = 0");
                try {
                    statement.execute("VACUUM (ANALYZE) material, measurement");
                } finally {
                    statement.execute("RESET statement_timeout");
                }
                LOG.infof("vacuumed and analysed material and measurement in %d ms",
                        (System.nanoTime() - start) / 1_000_000);
            } catch (SQLException e) {
                LOG.warnf("table maintenance failed (autovacuum will catch up): %s", e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}

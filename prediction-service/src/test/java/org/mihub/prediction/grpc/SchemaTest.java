package org.mihub.prediction.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.mihub.common.testing.PostgresResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** The service starts on a real PostgreSQL and Flyway has created its own schema there. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "prediction"))
@WithTestResource(OidcWiremockTestResource.class)
class SchemaTest {

    @Inject
    DataSource dataSource;

    @Test
    void flywayCreatedTheSchema() throws SQLException {
        try (var connection = dataSource.getConnection();
                var tables = connection.getMetaData().getTables(null, "public", "model", null)) {
            assertTrue(tables.next(), "table model exists in database " + connection.getCatalog());
        }
    }
}

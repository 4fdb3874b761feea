package org.mihub.planning.grpc;

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
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "planning"))
@WithTestResource(OidcWiremockTestResource.class)
class SchemaTest {

    @Inject
    DataSource dataSource;

    @Test
    void flywayCreatedTheSchema() throws SQLException {
        try (var connection = dataSource.getConnection();
                var tables = connection.getMetaData().getTables(null, "public", "campaign", null)) {
            assertTrue(tables.next(), "table campaign exists in database " + connection.getCatalog());
        }
    }
}

package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's request channel: requests reach the handler, every outcome comes back as a reply. */
class ControlTest {

    @TempDir
    Path state;

    @Test
    void aRequestIsCarriedOutAndAnsweredAndAFailureSaysWhy() throws Exception {
        StackConfig config = new StackConfig(state, state, 18080);
        List<String> done = new ArrayList<>();
        Thread server = Control.serve(config, (verb, service) -> {
            if (service == Service.PREDICTION) {
                throw new IllegalStateException("prediction-service was not ready within 120 s");
            }
            done.add(verb + " " + service.module());
            return service.module() + " " + verb + "ped";
        });
        try {
            assertEquals("ok planning-service stopped", Control.ask(config, "stop", "planning", Duration.ofSeconds(10)));
            assertEquals("error: restart prediction-service failed: prediction-service was not ready within 120 s",
                    Control.ask(config, "restart", "prediction-service", Duration.ofSeconds(10)));
            String unknown = Control.ask(config, "stop", "optimade", Duration.ofSeconds(10));
            assertTrue(unknown.startsWith("error: no service named 'optimade'; one of catalog-service"), unknown);
            assertEquals("error: not a request: 'reboot catalog' (stop SERVICE or restart SERVICE)",
                    Control.ask(config, "reboot", "catalog", Duration.ofSeconds(10)));
            assertEquals(List.of("stop planning-service"), done);
            try (var left = Files.list(Control.folder(config))) {
                assertEquals(0, left.count(), "requests and replies are cleaned up");
            }
        } finally {
            server.interrupt();
            server.join(5000);
        }
    }

    @Test
    void askingWithoutARunningLauncherFailsInsteadOfWaitingForever() throws Exception {
        StackConfig config = new StackConfig(state, state, 18080);
        var notRunning = assertThrows(IOException.class,
                () -> Control.ask(config, "stop", "gateway", Duration.ofSeconds(1)));
        assertTrue(notRunning.getMessage().startsWith("mihub is not running"), notRunning.getMessage());
        Files.createDirectories(Control.folder(config));
        var silent = assertThrows(IOException.class,
                () -> Control.ask(config, "stop", "gateway", Duration.ofSeconds(1)));
        assertEquals("the launcher did not answer within 1 s", silent.getMessage());
    }
}

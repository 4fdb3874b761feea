package org.mihub.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The launcher behind {@code ./mihub}: {@code up} runs the whole suite in the foreground until it
 * is stopped (the script runs it in the background), {@code token <user>} prints an access token,
 * {@code status} shows what runs.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        StackConfig config = configFromEnvironment();
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "up" -> up(config);
            case "token" -> {
                if (args.length != 2) {
                    usage();
                }
                System.out.println(Tokens.accessToken(config, args[1]));
            }
            case "status" -> status(config);
            default -> usage();
        }
    }

    static StackConfig configFromEnvironment() {
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        String state = System.getenv("MIHUB_STATE");
        String port = System.getenv("MIHUB_PORT");
        return new StackConfig(home, state == null ? home.resolve(".mihub") : Path.of(state).toAbsolutePath(),
                port == null ? 8080 : Integer.parseInt(port));
    }

    private static void up(StackConfig config) throws Exception {
        Path ready = config.run().resolve("ready");
        Path failed = config.run().resolve("failed");
        Files.createDirectories(config.run());
        Files.deleteIfExists(ready);
        Files.deleteIfExists(failed);
        Stack stack;
        try {
            stack = Stack.start(config, message -> System.out.println("[mihub] " + message));
            try {
                System.out.println("[mihub] demo dataset loaded: /api/v1/datasets/" + DemoData.load(config));
            } catch (IOException | RuntimeException e) {
                stack.close();
                throw e;
            }
        } catch (Exception | Error e) {
            Files.writeString(failed, String.valueOf(e.getMessage()) + System.lineSeparator());
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[mihub] stopping");
            stack.close();
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // nothing to clean up then
            }
            stopped.countDown();
        }));
        Files.write(ready, stack.describe());
        System.out.println("[mihub] suite ready at " + config.gatewayUrl());
        stopped.await();
    }

    private static void status(StackConfig config) throws IOException {
        Path ready = config.run().resolve("ready");
        if (!Files.isRegularFile(ready)) {
            System.out.println("mihub is not running (no " + ready + ")");
            return;
        }
        System.out.printf("%-20s %-8s %-6s %-8s %s%n", "component", "pid", "port", "health", "log");
        for (String line : Files.readAllLines(ready)) {
            String[] parts = line.trim().split("\\s+");
            String health = health(parts[0], Integer.parseInt(parts[2]), config);
            System.out.printf("%-20s %-8s %-6s %-8s %s%n", parts[0], parts[1], parts[2], health, parts[3]);
        }
        System.out.println("gateway: " + config.gatewayUrl() + "   logs: " + config.logs());
    }

    private static String health(String component, int port, StackConfig config) {
        String base = "http://" + StackConfig.HOST + ":" + port;
        return switch (component) {
            case "postgresql" -> "-";
            case "keycloak" -> ManagedProcess.answers200(URI.create(config.issuer() + "/.well-known/openid-configuration"))
                    ? "UP" : "DOWN";
            default -> ManagedProcess.answers200(URI.create(base + "/q/health/ready")) ? "UP" : "DOWN";
        };
    }

    private static void usage() {
        System.err.println(String.join(System.lineSeparator(), List.of(
                "usage: mihub up | token <user> | status",
                "  up            start PostgreSQL, Keycloak and the four services (foreground)",
                "  token <user>  print an access token for a demo user (alice, bob, carol, dave, erin, frank, grace) or lab-robot",
                "  status        show what runs, with ports, health and log paths")));
        System.exit(2);
    }
}

package org.mihub.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * How {@code ./mihub stop|restart SERVICE} reaches the running launcher: a request file in
 * {@code run/control/}, which the launcher's control thread picks up, carries out on its {@link
 * Stack} and answers with a reply file beside it. Files, not a socket: nothing listens on the
 * network, only the user who owns the state folder can ask, and a request survives the asking
 * process (the reply tells whoever looks).
 */
final class Control {

    /** How often the running launcher looks for requests. */
    private static final Duration POLL = Duration.ofMillis(200);

    /** What the running launcher does for a request: the reply's text, or an exception whose message is the error. */
    @FunctionalInterface
    interface Handler {
        String handle(String verb, Service service) throws Exception;
    }

    private Control() {
    }

    static Path folder(StackConfig config) {
        return config.run().resolve("control");
    }

    /**
     * Starts the control thread of a running launcher: each request is carried out in turn, the
     * reply written atomically ("ok ..." or "error ...").
     */
    static Thread serve(StackConfig config, Handler handler) throws IOException {
        Path folder = folder(config);
        Files.createDirectories(folder);
        // what an earlier run left is not for this one
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(folder)) {
            for (Path file : stale) {
                Files.deleteIfExists(file);
            }
        }
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    serveOnce(folder, handler);
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    System.err.println("[mihub] control: " + e.getMessage());
                }
            }
        }, "mihub-control");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Answers every request waiting in {@code folder}. */
    static void serveOnce(Path folder, Handler handler) throws IOException, InterruptedException {
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(folder, "*.request")) {
            for (Path request : requests) {
                String id = request.getFileName().toString().replace(".request", "");
                String reply = answer(Files.readString(request, StandardCharsets.UTF_8).strip(), handler);
                Path partial = folder.resolve(id + ".reply.part");
                Files.writeString(partial, reply + System.lineSeparator(), StandardCharsets.UTF_8);
                Files.move(partial, folder.resolve(id + ".reply"), StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(request);
            }
        }
    }

    private static String answer(String request, Handler handler) throws InterruptedException {
        String[] words = request.split("\\s+");
        if (words.length != 2 || !(words[0].equals("stop") || words[0].equals("restart"))) {
            return "error: not a request: '" + request + "' (stop SERVICE or restart SERVICE)";
        }
        Service service;
        try {
            service = Service.byName(words[1]);
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
        try {
            return "ok " + handler.handle(words[0], service);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | Error e) {
            return "error: " + words[0] + " " + service.module() + " failed: " + e.getMessage();
        }
    }

    /**
     * Asks the running launcher and waits for its reply; the reply text (starting "ok " or "error: ").
     * Fails when no launcher answers within {@code timeout}.
     */
    static String ask(StackConfig config, String verb, String service, Duration timeout)
            throws IOException, InterruptedException {
        Path folder = folder(config);
        if (!Files.isDirectory(folder)) {
            throw new IOException("mihub is not running (no " + folder + ")");
        }
        String id = UUID.randomUUID().toString();
        Path partial = folder.resolve(id + ".part");
        Files.writeString(partial, verb.toLowerCase(Locale.ROOT) + " " + service, StandardCharsets.UTF_8);
        Files.move(partial, folder.resolve(id + ".request"), StandardCopyOption.ATOMIC_MOVE);
        Path reply = folder.resolve(id + ".reply");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.isRegularFile(reply)) {
                String text = Files.readString(reply, StandardCharsets.UTF_8).strip();
                Files.deleteIfExists(reply);
                return text;
            }
            Thread.sleep(POLL.toMillis());
        }
        Files.deleteIfExists(folder.resolve(id + ".request"));
        throw new IOException("the launcher did not answer within " + timeout.toSeconds() + " s");
    }
}

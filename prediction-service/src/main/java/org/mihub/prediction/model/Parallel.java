package org.mihub.prediction.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs indexed work on a few threads; each index writes only its own results, so the outcome never depends on them. */
public final class Parallel {

    public interface Task {
        void run(int index);
    }

    public interface Range {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** Runs range(from, to) over consecutive blocks of {@code block} indices covering 0..count-1, on {@code threads} threads. */
    public static void blocks(int threads, int count, int block, Range range) {
        run(threads, (count + block - 1) / block, k -> range.run(k * block, Math.min(count, (k + 1) * block)));
    }

    /** Runs task(0..count-1) on {@code threads} threads. */
    public static void run(int threads, int count, Task task) {
        if (threads <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) {
                task.run(i);
            }
            return;
        }
        int workers = Math.min(threads, count);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = worker; i < count; i += workers) {
                        task.run(i);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}

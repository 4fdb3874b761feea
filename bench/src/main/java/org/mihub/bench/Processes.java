package org.mihub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mihub.launcher.StackConfig;

/**
 * The suite's processes as the operating system sees them, for the soak's start and end: resident
 * memory ({@code VmRSS} of {@code /proc/PID/status}), CPU time ({@code /proc/PID/stat}) and, for a
 * JVM, its heap as {@code jcmd PID GC.heap_info} reports it, once as found and once after a full
 * collection ({@code GC.run}: what is live). The pids are the ones {@code ./mihub status} shows:
 * the launcher's description of what runs (its {@code run/ready} file), PostgreSQL's from its
 * {@code postmaster.pid}.
 */
final class Processes {

    /** A heap line of GC.heap_info: "total 9792K, used 3530K" (JDK 17), "committed 393216K, used 11510K" (JDK 21+). */
    private static final Pattern HEAP = Pattern.compile("(?:total|committed) (\\d+)K, used (\\d+)K");

    private Processes() {
    }

    /** A component of the suite and the pid that holds its memory (the JVM, not a start script). */
    record Named(String name, long pid, boolean jvm) {
    }

    /** One process (PostgreSQL: with its backends) at one moment; -1 for what was not readable. */
    record Sample(long rssKib, long heapUsedKib, long heapCommittedKib, long liveKib, double cpuSeconds,
            int processes) {
    }

    /** The processes of a launcher's description lines ({@code name pid port log}, as {@code Stack.describe}). */
    static List<Named> fromDescription(List<String> lines, StackConfig config) throws IOException {
        List<Named> named = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts[0].equals("postgresql")) {
                Path pidFile = config.stateDir().resolve("pgdata/postmaster.pid");
                if (Files.isRegularFile(pidFile)) {
                    named.add(new Named("postgresql", Long.parseLong(Files.readAllLines(pidFile).get(0).strip()), false));
                }
            } else if (!parts[1].equals("-")) {
                long pid = Long.parseLong(parts[1]);
                named.add(new Named(parts[0], javaOf(pid).orElse(pid), true));
            }
        }
        return named;
    }

    /** The pid itself when it runs java, else its first descendant that does (Keycloak starts through kc.sh). */
    private static Optional<Long> javaOf(long pid) {
        return ProcessHandle.of(pid).stream()
                .flatMap(handle -> java.util.stream.Stream.concat(java.util.stream.Stream.of(handle),
                        handle.descendants()))
                .filter(handle -> handle.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    static List<Sample> sample(List<Named> processes, long clockTicks) {
        List<Sample> samples = new ArrayList<>();
        for (Named process : processes) {
            List<Long> pids = new ArrayList<>(List.of(process.pid()));
            if (!process.jvm()) {
                ProcessHandle.of(process.pid()).ifPresent(handle -> handle.children().forEach(child ->
                        pids.add(child.pid())));
            }
            long rss = 0;
            double cpu = 0;
            boolean readable = false;
            for (long pid : pids) {
                long kib = rssKib(pid);
                if (kib >= 0) {
                    readable = true;
                    rss += kib;
                }
                // the parent also counts the CPU time of children it has reaped (PostgreSQL's ended backends)
                cpu += cpuSeconds(pid, clockTicks, pid == process.pid());
            }
            long used = -1;
            long committed = -1;
            long live = -1;
            if (process.jvm() && readable) {
                long[] found = heap(process.pid(), false);
                used = found[0];
                committed = found[1];
                live = heap(process.pid(), true)[0];
            }
            samples.add(new Sample(readable ? rss : -1, used, committed, live, cpu, pids.size()));
        }
        return samples;
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (+ cutime + cstime for the parent), fields 14–17 of /proc/PID/stat, in seconds. */
    private static double cpuSeconds(long pid, long clockTicks, boolean withChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from after it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks / (double) clockTicks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {used, committed} KiB summed over the heap's generations; after a full collection when asked. */
    private static long[] heap(long pid, boolean afterFullCollection) {
        if (afterFullCollection && jcmd(pid, "GC.run").isEmpty()) {
            return new long[] {-1, -1};
        }
        Optional<String> info = jcmd(pid, "GC.heap_info");
        if (info.isEmpty()) {
            return new long[] {-1, -1};
        }
        long used = 0;
        long committed = 0;
        boolean found = false;
        for (String line : info.get().split("\n")) {
            Matcher matcher = HEAP.matcher(line);
            if (matcher.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                found = true;
                committed += Long.parseLong(matcher.group(1));
                used += Long.parseLong(matcher.group(2));
            }
        }
        return found ? new long[] {used, committed} : new long[] {-1, -1};
    }

    /** Runs the target JVM's own jcmd (Keycloak may run on another JDK than the services). */
    private static Optional<String> jcmd(long pid, String command) {
        Path jcmd = ProcessHandle.of(pid).flatMap(handle -> handle.info().command())
                .map(java -> Path.of(java).resolveSibling("jcmd"))
                .filter(Files::isExecutable)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** CPU seconds this JVM has used so far. */
    static double ownCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(cpu -> cpu.toNanos() / 1e9).orElse(0.0);
    }

    /**
     * Whether someone holds the flock of this path (the project's Maven lock, which a soak run is
     * meant to hold so that no build shares the cores): {@code flock -n} cannot take it.
     */
    static Optional<Boolean> lockHeld(Path lock) {
        if (!Files.exists(lock)) {
            return Optional.of(false);
        }
        try {
            Process process = new ProcessBuilder("flock", "-n", lock.toString(), "true").redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(5, TimeUnit.SECONDS) ? Optional.of(process.exitValue() != 0) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Cores, processor model and memory of this machine. */
    static String machine() {
        String model = "unknown processor";
        long memoryKib = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // reported as unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), "
                + (memoryKib < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", memoryKib / 1048576.0))
                + " memory";
    }

    /** The processes table of the report: memory at start and end, CPU used during the load. */
    static List<String> table(List<Named> processes, List<Sample> before, List<Sample> after, double seconds,
            double generatorCpuSeconds) {
        List<String> lines = new ArrayList<>(List.of(
                "## Processes at start and end of the load",
                "",
                "RSS = `VmRSS` of `/proc/PID/status`; heap = `jcmd PID GC.heap_info` (used / committed, as found),"
                        + " live = heap used right after a full collection (`jcmd PID GC.run`), both read just before"
                        + " the load started and just after it ended; CPU = user + system time during the load, "
                        + "in seconds and as a share of one core. PostgreSQL: the server and its backends together "
                        + "(shared memory is counted in each backend's RSS).",
                "",
                "| process | pid | RSS start MiB | RSS end MiB | heap start MiB | heap end MiB | live start MiB "
                        + "| live end MiB | CPU s | CPU % of a core |",
                "|---|---:|---:|---:|---|---|---:|---:|---:|---:|"));
        double cpuTotal = 0;
        for (int i = 0; i < processes.size(); i++) {
            Named process = processes.get(i);
            Sample start = before.get(i);
            Sample end = after.get(i);
            double cpu = end.cpuSeconds() - start.cpuSeconds();
            cpuTotal += cpu;
            lines.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %.0f | %.0f |",
                    process.name() + (process.jvm() ? "" : " (" + end.processes() + " processes at the end)"),
                    process.pid(), mib(start.rssKib()), mib(end.rssKib()), heap(start), heap(end),
                    mib(start.liveKib()), mib(end.liveKib()), cpu, 100 * cpu / seconds));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        lines.add("");
        lines.add(String.format(Locale.ROOT, "The suite used %.0f CPU seconds of the %.0f the %d cores had during the "
                + "load (%.0f %%); the load generator (this bench's JVM) used %.0f more (%.0f %%).", cpuTotal,
                cores * seconds, cores, 100 * cpuTotal / (cores * seconds), generatorCpuSeconds,
                100 * generatorCpuSeconds / (cores * seconds)));
        return lines;
    }

    private static String heap(Sample sample) {
        return sample.heapUsedKib() < 0 ? "—" : mib(sample.heapUsedKib()) + " / " + mib(sample.heapCommittedKib());
    }

    private static String mib(long kib) {
        return kib < 0 ? "—" : String.format(Locale.ROOT, "%.0f", kib / 1024.0);
    }
}

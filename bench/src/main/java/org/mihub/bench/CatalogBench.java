package org.mihub.bench;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.CreateDatasetRequest;
import org.mihub.api.catalog.v1.ElementFilter;
import org.mihub.api.catalog.v1.ElementMatch;
import org.mihub.api.catalog.v1.IngestFormat;
import org.mihub.api.catalog.v1.IngestHeader;
import org.mihub.api.catalog.v1.IngestRecordsRequest;
import org.mihub.api.catalog.v1.IngestRecordsResponse;
import org.mihub.api.catalog.v1.MaterialQuery;
import org.mihub.api.catalog.v1.PropertyFilter;
import org.mihub.api.catalog.v1.QueryStructuresRequest;
import org.mihub.api.catalog.v1.SearchMaterialsRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.launcher.Folders;
import org.mihub.launcher.Service;
import org.mihub.launcher.Stack;
import org.mihub.launcher.StackConfig;
import org.mihub.launcher.Tokens;
import org.postgresql.PGConnection;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;

/**
 * Catalog ingest and search at scale, on the real suite (its own ports and state folder):
 * generates N materials (seeded) over 80 elements with 1–3 properties each, ingests them as one
 * CSV over the gRPC client stream, COPYs the same rows into a plain table of the same PostgreSQL
 * server as the anchor, then times element-set and property-range searches.
 *
 * <p>Run: {@code mvn -B -q package -DskipTests && java -cp "$(cat bench/target/classpath.txt):bench/target/classes"
 * -Dmihub.home=. org.mihub.bench.CatalogBench [rows]}
 */
public final class CatalogBench {

    private static final String[] ELEMENTS = ("H Li Be B C N O F Na Mg Al Si P S Cl K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn "
            + "Ga Ge As Se Br Rb Sr Y Zr Nb Mo Ru Rh Pd Ag Cd In Sn Sb Te I Cs Ba La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er Tm "
            + "Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Th U Np Pu").split(" ");
    private static final int SEARCHES = 1000;
    /** OPTIMADE queries also count every match (meta.data_returned): fewer calls keep the run short. */
    private static final int FILTER_CALLS = 200;
    private static final int WARM_UP = 200;

    private CatalogBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path home = Path.of(System.getProperty("mihub.home", ".")).toAbsolutePath().normalize();
        StackConfig config = new StackConfig(home, home.resolve("bench/target/state"), 38080);
        // every run measures a catalog of exactly `rows` materials: the database of an earlier run goes
        Folders.deleteTree(config.stateDir().resolve("pgdata"));
        String csv = generate(rows, 20261123L);
        System.out.printf("generated %,d materials, %.1f MB of CSV (seed 20261123, %d elements)%n", rows,
                csv.length() / 1e6, ELEMENTS.length);
        try (Stack stack = Stack.start(config, message -> System.out.println("[bench] " + message))) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress(StackConfig.HOST, config.portOf(Service.CATALOG))
                    .usePlaintext().maxInboundMessageSize(64 << 20).build();
            Metadata headers = alice(config);
            var blocking = CatalogServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            String dataset = blocking.createDataset(CreateDatasetRequest.newBuilder().setTitle("bench " + Instant.now())
                    .setLicence("CC0-1.0").build()).getId();

            long start = System.nanoTime();
            IngestRecordsResponse result = ingest(CatalogServiceGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)), dataset, csv);
            double ingestSeconds = (System.nanoTime() - start) / 1e9;

            double maintenanceSeconds = awaitMaintenance(config, start);
            double copySeconds = copyAnchor(config, csv);

            double[] elementSearch = time(() -> blocking.searchMaterials(SearchMaterialsRequest.newBuilder()
                    .setQuery(MaterialQuery.newBuilder().setElements(ElementFilter.newBuilder().addElements("Fe")
                            .addElements("O").setMatch(ElementMatch.ELEMENT_MATCH_ALL)))
                    .setPage(PageRequest.newBuilder().setPageSize(50)).build()).getMaterialsCount());
            double[] rangeSearch = time(() -> blocking.searchMaterials(SearchMaterialsRequest.newBuilder()
                    .setQuery(MaterialQuery.newBuilder().addProperties(PropertyFilter.newBuilder()
                            .setProperty("band_gap").setMin(1000).setMax(1100).setUnit("meV")))
                    .setPage(PageRequest.newBuilder().setPageSize(50)).build()).getMaterialsCount());
            // the same two questions in the OPTIMADE filter language, translated and counted by the catalog;
            // with a fresh token (the first one may have expired during the ingest and the searches)
            var optimade = asAlice(config, channel);
            double[] elementFilter = time(() -> optimade.queryStructures(QueryStructuresRequest.newBuilder()
                    .setFilter("elements HAS ALL \"Fe\",\"O\"").setLimit(50).build()).getMaterialsCount(),
                    FILTER_CALLS);
            var again = asAlice(config, channel);
            double[] rangeFilter = time(() -> again.queryStructures(QueryStructuresRequest.newBuilder()
                    .setFilter("_mihub_band_gap >= 1.0 AND _mihub_band_gap <= 1.1").setLimit(50).build())
                    .getMaterialsCount(), FILTER_CALLS);
            channel.shutdownNow();

            String report = String.join(System.lineSeparator(),
                    "# Catalog ingest and search benchmark",
                    "",
                    "Command: `mvn -B -q package -DskipTests && java -cp \"$(cat bench/target/classpath.txt):"
                            + "bench/target/classes\" -Dmihub.home=. org.mihub.bench.CatalogBench " + rows + "`",
                    "Run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors()
                            + " cores; suite, PostgreSQL and load on one machine.",
                    "",
                    "| measure | value |",
                    "|---|---|",
                    String.format("| materials ingested (CSV over gRPC, validated, one transaction) | %,d (%,d measurements) |",
                            result.getRowsWritten(), result.getMeasurementsWritten()),
                    String.format("| ingest time | %.1f s |", ingestSeconds),
                    String.format("| ingest rate | %,.0f rows/s (target >= 50,000) |", rows / ingestSeconds),
                    String.format("| background VACUUM (ANALYZE) after the ingest, done after | %.1f s from the start |",
                            maintenanceSeconds),
                    String.format("| plain PostgreSQL COPY of the same rows into one table | %.1f s (%,.0f rows/s) |",
                            copySeconds, rows / copySeconds),
                    String.format("| ingest time / COPY time | %.1f |", ingestSeconds / copySeconds),
                    String.format("| search elements Fe,O (all), 50 per page, " + SEARCHES + " calls: p50 / p99 | %.1f / %.1f ms (target p99 <= 20) |",
                            elementSearch[0], elementSearch[1]),
                    String.format("| search band_gap 1000-1100 meV, 50 per page, " + SEARCHES + " calls: p50 / p99 | %.1f / %.1f ms (target p99 <= 20) |",
                            rangeSearch[0], rangeSearch[1]),
                    String.format("| OPTIMADE filter `elements HAS ALL \"Fe\",\"O\"`, 50 per page with the count of all matches, "
                            + FILTER_CALLS + " calls: p50 / p99 | %.1f / %.1f ms |", elementFilter[0], elementFilter[1]),
                    String.format("| OPTIMADE filter `_mihub_band_gap >= 1.0 AND _mihub_band_gap <= 1.1`, 50 per page with the "
                            + "count, " + FILTER_CALLS + " calls: p50 / p99 | %.1f / %.1f ms |", rangeFilter[0], rangeFilter[1]),
                    "");
            System.out.println(report);
            Path out = home.resolve("bench/results/catalog-ingest-search.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.println("written to " + out);
        }
    }

    /** A catalog stub with a fresh token of alice's (a token lives 5 minutes; a phase may start later). */
    static CatalogServiceGrpc.CatalogServiceBlockingStub asAlice(StackConfig config, ManagedChannel channel)
            throws Exception {
        return CatalogServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(alice(config)));
    }

    /** Call headers with a fresh access token of alice's. */
    static Metadata alice(StackConfig config) throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + Tokens.accessToken(config, "alice"));
        return headers;
    }

    static String generate(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder(rows * 48);
        csv.append("sample_id,formula,band_gap [eV],density [g/cm3],yield_strength [MPa]\n");
        for (int i = 0; i < rows; i++) {
            int count = 1 + random.nextInt(4);
            List<String> chosen = new ArrayList<>();
            while (chosen.size() < count) {
                String element = ELEMENTS[random.nextInt(ELEMENTS.length)];
                if (!chosen.contains(element)) {
                    chosen.add(element);
                }
            }
            csv.append('s').append(i).append(',');
            for (String element : chosen) {
                csv.append(element).append(1 + random.nextInt(9));
            }
            int properties = 1 + random.nextInt(3);
            boolean[] present = new boolean[3];
            for (int p = 0; p < properties; p++) {
                present[random.nextInt(3)] = true;
            }
            csv.append(',').append(present[0] ? String.format("%.3f", random.nextDouble() * 6) : "")
                    .append(',').append(present[1] ? String.format("%.2f", 1 + random.nextDouble() * 15) : "")
                    .append(',').append(present[2] ? String.format("%.0f", 50 + random.nextDouble() * 2000) : "")
                    .append('\n');
        }
        return csv.toString();
    }

    /** Streams the CSV in 1 MiB chunks, respecting the stream's flow control. */
    static IngestRecordsResponse ingest(CatalogServiceGrpc.CatalogServiceStub stub, String dataset, String csv)
            throws Exception {
        return ingest(stub, IngestHeader.newBuilder().setDatasetId(dataset).setFormat(IngestFormat.INGEST_FORMAT_CSV)
                .build(), csv);
    }

    /** Streams the CSV in 1 MiB chunks after the given header (mode, dry run...), respecting flow control. */
    static IngestRecordsResponse ingest(CatalogServiceGrpc.CatalogServiceStub stub, IngestHeader header, String csv)
            throws Exception {
        CompletableFuture<IngestRecordsResponse> done = new CompletableFuture<>();
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        stub.withDeadlineAfter(30, TimeUnit.MINUTES).ingestRecords(
                new ClientResponseObserver<IngestRecordsRequest, IngestRecordsResponse>() {
                    private int offset;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<IngestRecordsRequest> requests) {
                        requests.setOnReadyHandler(() -> {
                            if (offset == 0) {
                                requests.onNext(IngestRecordsRequest.newBuilder().setHeader(header).build());
                                offset = -1;
                            }
                            int position = Math.max(offset, 0);
                            while (requests.isReady() && position < bytes.length) {
                                int length = Math.min(1 << 20, bytes.length - position);
                                requests.onNext(IngestRecordsRequest.newBuilder()
                                        .setChunk(ByteString.copyFrom(bytes, position, length)).build());
                                position += length;
                            }
                            offset = position;
                            if (position >= bytes.length && offset != Integer.MAX_VALUE) {
                                offset = Integer.MAX_VALUE;
                                requests.onCompleted();
                            }
                        });
                    }

                    @Override
                    public void onNext(IngestRecordsResponse value) {
                        done.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return done.get(30, TimeUnit.MINUTES);
    }

    /**
     * Waits for the catalog's own VACUUM (ANALYZE) after a bulk ingest, so that searches are timed
     * on the tables as they settle, not during the maintenance; seconds since {@code start}.
     */
    static double awaitMaintenance(StackConfig config, long start) throws Exception {
        String url = "jdbc:postgresql://" + StackConfig.HOST + ":" + config.postgresPort() + "/catalog";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            for (int i = 0; i < 600; i++) {
                // every segment (partition) of the two tables
                var rows = statement.executeQuery("SELECT count(*) FILTER (WHERE s.last_vacuum IS NULL), count(*) "
                        + "FROM pg_inherits i JOIN pg_stat_user_tables s ON s.relid = i.inhrelid "
                        + "WHERE i.inhparent IN ('material'::regclass, 'measurement'::regclass)");
                rows.next();
                if (rows.getInt(1) == 0 && rows.getInt(2) >= 2) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("the catalog did not vacuum its tables within 5 minutes");
        }
    }

    /** The anchor: the same CSV rows with PostgreSQL COPY into one plain table, no validation. */
    static double copyAnchor(StackConfig config, String csv) throws Exception {
        String url = "jdbc:postgresql://" + StackConfig.HOST + ":" + config.postgresPort() + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench_copy");
            statement.execute("CREATE TABLE bench_copy (sample_id text, formula text, band_gap double precision, "
                    + "density double precision, yield_strength double precision)");
            long start = System.nanoTime();
            ((PGConnection) connection.unwrap(PGConnection.class)).getCopyAPI()
                    .copyIn("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", new StringReader(csv));
            double seconds = (System.nanoTime() - start) / 1e9;
            statement.execute("DROP TABLE bench_copy");
            return seconds;
        }
    }

    /** p50 and p99 in milliseconds over {@link #SEARCHES} calls, after {@link #WARM_UP} warm-up calls. */
    static double[] time(Supplier<Integer> search) {
        return time(search, SEARCHES);
    }

    /** p50 and p99 in milliseconds over {@code calls} calls, after {@link #WARM_UP} warm-up calls. */
    static double[] time(Supplier<Integer> search, int calls) {
        for (int i = 0; i < WARM_UP; i++) {
            search.get();
        }
        double[] millis = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            search.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {millis[calls / 2], millis[(int) Math.ceil(calls * 0.99) - 1]};
    }
}

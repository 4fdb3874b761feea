package org.mihub.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OTLP/HTTP trace receiver for the end-to-end suite, in the test's JVM: the four services export
 * their spans to it ({@code http/protobuf}, {@code POST /v1/traces}) as they would to an operator's
 * collector, and a test reads them back by trace id.
 */
final class TraceCollector implements AutoCloseable {

    /** One received span: which service sent it, its ids (hex) and its attributes as text. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
            long startNanos, long endNanos, Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<Span> spans = new ArrayList<>();

    private TraceCollector(HttpServer server) {
        this.server = server;
    }

    static TraceCollector start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(StackConfig.HOST, 0), 0);
        TraceCollector collector = new TraceCollector(server);
        server.createContext("/v1/traces", collector::receive);
        server.start();
        return collector;
    }

    /** The endpoint to give the services (their exporter adds {@code /v1/traces}). */
    String endpoint() {
        return "http://" + StackConfig.HOST + ":" + server.getAddress().getPort();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            List<Span> received = new ArrayList<>();
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = text(resource.getResource().getAttributesList()).getOrDefault("service.name", "?");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (var span : scope.getSpansList()) {
                        received.add(new Span(service, hex(span.getTraceId().toByteArray()),
                                hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()),
                                span.getName(), span.getKind().name().replace("SPAN_KIND_", ""),
                                span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
                                text(span.getAttributesList())));
                    }
                }
            }
            synchronized (spans) {
                spans.addAll(received);
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** The spans of one trace received so far. */
    List<Span> trace(String traceId) {
        synchronized (spans) {
            return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
        }
    }

    /** The last {@code n} spans a service sent, for a failure's message. */
    List<Span> last(String service, int n) {
        synchronized (spans) {
            List<Span> of = spans.stream().filter(span -> span.service().equals(service)).toList();
            return of.subList(Math.max(0, of.size() - n), of.size());
        }
    }

    /** How many spans each service sent, by kind and name (the first word of it), for a failure's message. */
    Map<String, Long> census() {
        synchronized (spans) {
            return spans.stream().collect(java.util.stream.Collectors.groupingBy(span -> span.service() + " "
                    + span.kind() + " " + span.name().split(" ")[0], TreeMap::new,
                    java.util.stream.Collectors.counting()));
        }
    }

    /** How many spans have been received so far, of every trace. */
    int count() {
        synchronized (spans) {
            return spans.size();
        }
    }

    /** Every attribute value of every span received so far. */
    List<String> allAttributeValues() {
        synchronized (spans) {
            return spans.stream().flatMap(span -> span.attributes().values().stream()).toList();
        }
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue attribute : attributes) {
            AnyValue value = attribute.getValue();
            out.put(attribute.getKey(), switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValue();
                case INT_VALUE -> Long.toString(value.getIntValue());
                case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
                default -> value.toString().strip();
            });
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

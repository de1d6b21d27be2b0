package io.jenkins.plugins.gitops.core.testing.argocd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The open {@code GET /api/v1/stream/applications} responses. One thread writes every stream, so many
 * concurrent watches (a waiter benchmark opens hundreds) cost the fake no thread each.
 */
final class WatchStreams {

    /**
     * An app change as a watch sees it; visibility is taken when the change happens. The result line is
     * built and checked against the contract once, however many streams send it.
     */
    static final class Event {
        private final String type;
        private final String namespace;
        private final String name;
        private final String project;
        private final boolean visible;
        private final ObjectNode json;
        private String line;

        Event(String type, String namespace, String name, String project, boolean visible, ObjectNode json) {
            this.type = type;
            this.namespace = namespace;
            this.name = name;
            this.project = project;
            this.visible = visible;
            this.json = json;
        }

        String type() {
            return type;
        }

        String namespace() {
            return namespace;
        }

        String name() {
            return name;
        }

        String project() {
            return project;
        }

        boolean visible() {
            return visible;
        }

        long resourceVersion() {
            return Long.parseLong(json.path("metadata").path("resourceVersion").asText("0"));
        }

        /** {@code {"result":{"type":..,"application":..}}}, serialised once (on the stream thread). */
        String line(Consumer<JsonNode> bodyCheck) {
            if (line == null) {
                ObjectNode result = NODES.objectNode();
                result.putObject("result").put("type", type).set("application", json);
                bodyCheck.accept(result);
                line = serialise(result);
            }
            return line;
        }
    }

    /**
     * What a watch asked for: {@code name}, {@code appNamespace}, {@code projects}, {@code resourceVersion}
     * and a label {@code selector} ({@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, comma-separated).
     */
    record Filter(String name, String namespace, List<String> projects, long since, String selector) {
        /**
         * As isApplicationPermitted (argo-cd v3.5.1 server/application/application.go:1226-1249): an event
         * older than {@code resourceVersion} is dropped, one AT it is sent ({@code appVersion < minVersion}),
         * the initial ADDED event included.
         */
        boolean matches(Event event) {
            return event.resourceVersion() >= since
                    && (event.visible() || "DELETED".equals(event.type()))
                    && (name == null || name.equals(event.name()))
                    && namespace.equals(event.namespace())
                    && (projects.isEmpty() || projects.contains(event.project()))
                    && selects(event.json.path("metadata").path("labels"));
        }

        private boolean selects(JsonNode labels) {
            if (selector == null || selector.isBlank()) {
                return true;
            }
            for (String requirement : selector.split(",")) {
                String term = requirement.trim();
                boolean holds;
                if (term.contains("!=")) {
                    String[] kv = term.split("!=", 2);
                    holds = !kv[1].trim().equals(labels.path(kv[0].trim()).asText(null));
                } else if (term.contains("=")) {
                    String[] kv = term.split("==?", 2);
                    holds = kv[1].trim().equals(labels.path(kv[0].trim()).asText(null));
                } else if (term.startsWith("!")) {
                    holds = !labels.has(term.substring(1).trim());
                } else {
                    holds = labels.has(term);
                }
                if (!holds) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ScheduledExecutorService writer;
    private final List<Stream> open = new CopyOnWriteArrayList<>();
    private final Duration keepAliveInterval;
    private final Consumer<JsonNode> bodyCheck;

    WatchStreams(Duration keepAliveInterval, Consumer<JsonNode> bodyCheck) {
        this.keepAliveInterval = keepAliveInterval;
        this.bodyCheck = bodyCheck;
        this.writer = Executors.newSingleThreadScheduledExecutor(FakeArgoCd.daemonThreads("fake-argocd-streams"));
    }

    /**
     * Registers a stream. Call it under the fake's lock together with taking the {@code initial} snapshot,
     * so that no change falls between the snapshot and the first published event.
     */
    void open(HttpExchange exchange, boolean sse, Filter filter, List<Event> initial, Faults faults) {
        if (faults.takeWithheldInitialEvent()) {
            initial = List.of();
        }
        Stream stream = new Stream(exchange, sse, filter, faults, faults.takeStreamDrop().orElse(null));
        open.add(stream);
        List<Event> first = List.copyOf(initial);
        try {
            if (sse && !keepAliveInterval.isZero()) {
                stream.keepAliveFromTheStart();
            }
            writer.schedule(() -> stream.start(first), faults.streamHeaderDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            stream.end();
        }
    }

    /** Called under the fake's lock: only queues the event, writing happens on the stream thread. */
    void publish(Event event) {
        if (!open.isEmpty()) {
            execute(() -> open.forEach(stream -> stream.deliver(event)));
        }
    }

    /** Runs a small task (e.g. a deferred reply) on the stream thread; nothing once the fake is closed. */
    void execute(Runnable task) {
        try {
            writer.execute(task);
        } catch (RejectedExecutionException closed) {
            // the fake is closing: its streams and pending answers end with it
        }
    }

    void closeAll() {
        writer.shutdownNow();
        open.forEach(Stream::end);
    }

    /** Writes a terminal error chunk as the whole response (e.g. a 401 before any event) and closes. */
    void rejectWithErrorChunk(HttpExchange exchange, boolean sse, int grpcCode, String message) throws IOException {
        int status = ArgoError.httpStatusOf(grpcCode);
        exchange.getResponseHeaders().set("Content-Type", sse ? "text/event-stream" : "application/json");
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(frameLast(errorChunk(grpcCode, message), sse).getBytes(StandardCharsets.UTF_8));
        }
    }

    private ObjectNode errorChunk(int grpcCode, String message) {
        int httpStatus = ArgoError.httpStatusOf(grpcCode);
        ObjectNode chunk = NODES.objectNode();
        chunk.putObject("error").put("grpc_code", grpcCode).put("http_code", httpStatus)
                .put("message", message).put("http_status", ArgoError.httpStatusText(httpStatus));
        bodyCheck.accept(chunk);
        return chunk;
    }

    /**
     * An error chunk has no delimiter after it (grpc-gateway v1.16 handleForwardResponseStreamError); with
     * event-stream it is marshalled as an event too.
     */
    private static String frameLast(JsonNode body, boolean sse) {
        String text = serialise(body);
        return sse ? event(text) : text;
    }

    /**
     * An event-stream event as argoproj/pkg v2.0.1 grpc/http/forwarders.go:99-101 marshals it: {@code data: },
     * the JSON, a space and a blank line ({@code "data: %s \n\n"}).
     */
    private static String event(String json) {
        return "data: " + json + " \n\n";
    }

    private static String serialise(JsonNode body) {
        try {
            return FakeArgoCd.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One open stream; touched only by the stream thread after {@link #open}. */
    private final class Stream {
        private final HttpExchange exchange;
        private final boolean sse;
        private final Filter filter;
        private final Faults faults;
        private final Faults.StreamDrop drop;
        private final List<Event> pending = new ArrayList<>();
        private final Map<String, String> lastSent = new HashMap<>();
        private boolean started;
        private boolean ended;
        private boolean silent;
        private int sent;
        private OutputStream out;
        private ScheduledFuture<?> keepAlive;

        Stream(HttpExchange exchange, boolean sse, Filter filter, Faults faults, Faults.StreamDrop drop) {
            this.exchange = exchange;
            this.faults = faults;
            this.sse = sse;
            this.filter = filter;
            this.drop = drop;
        }

        synchronized void start(List<Event> initial) {
            started = true;
            if (drop != null && drop.afterEvents() == 0) {
                reached(drop);
            }
            for (Event event : initial) {
                send(event);
            }
            List<Event> queued = List.copyOf(pending);
            pending.clear();
            for (Event event : queued) {
                deliver(event);
            }
        }

        synchronized void deliver(Event event) {
            if (ended) {
                return;
            }
            if (!started) {
                pending.add(event);
                return;
            }
            if (filter.matches(event)) {
                send(event);
            }
        }

        private void send(Event event) {
            if (ended || silent) {
                return;
            }
            String line = event.line(bodyCheck);
            String key = event.namespace() + "/" + event.name();
            if (line.equals(lastSent.get(key))) {
                return; // identical consecutive events are suppressed
            }
            // grpc-gateway v1.16 ForwardResponseStream writes the marshalled message, then its "\n" delimiter
            if (!write(200, (sse ? event(line) : line) + "\n")) {
                return;
            }
            lastSent.put(key, line);
            if (drop != null && ++sent >= drop.afterEvents()) {
                reached(drop);
            }
        }

        /** The stream's fault is due: it falls silent, or it ends. */
        private void reached(Faults.StreamDrop due) {
            faults.streamDropReached(due);
            if (due instanceof Faults.StreamDrop.Silent) {
                silent = true;
            } else {
                end(due);
            }
        }

        /**
         * {@code :\n} every keepalive interval from the moment the stream is opened, before any event too: then
         * it is the keepalive that sends the headers (forwarders.go:171-235 starts the ticker first).
         */
        synchronized void keepAliveFromTheStart() {
            long every = keepAliveInterval.toMillis();
            keepAlive = writer.scheduleAtFixedRate(() -> write(200, ":\n"), every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized boolean write(int status, String text) {
            try {
                if (out == null) {
                    exchange.getResponseHeaders().set("Content-Type", sse ? "text/event-stream" : "application/json");
                    exchange.sendResponseHeaders(status, 0);
                    out = exchange.getResponseBody();
                }
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException clientGone) {
                end();
                return false;
            }
        }

        /** Ends the stream with a plain EOF or an error chunk. */
        private void end(Faults.StreamDrop how) {
            if (how instanceof Faults.StreamDrop.ErrorChunk chunk) {
                JsonNode body = errorChunk(chunk.grpcCode(), chunk.message());
                write(out == null ? ArgoError.httpStatusOf(chunk.grpcCode()) : 200, frameLast(body, sse));
            } else if (how instanceof Faults.StreamDrop.RawLine raw) {
                write(200, sse ? "data: " + raw.line() + "\n\n" : raw.line() + "\n");
            }
            end();
        }

        synchronized void end() {
            if (ended) {
                return;
            }
            ended = true;
            open.remove(this);
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            exchange.close(); // ends the chunked body, or drops the connection when nothing was sent
        }
    }
}

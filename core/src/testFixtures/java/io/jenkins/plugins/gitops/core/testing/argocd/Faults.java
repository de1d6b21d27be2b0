package io.jenkins.plugins.gitops.core.testing.argocd;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Faults the fake injects into otherwise contract-faithful answers. Per-application faults (403, sync
 * failures, Degraded, slow reconcile, an operation already running) are set on {@link FakeApplication};
 * token expiry on {@link FakeArgoCd#expireToken}. Every fault here is counted: it applies to the next
 * N matching requests or streams, then the fake answers normally again. Each one that fires is logged
 * ({@link #fired()}); one still armed when the fake closes fails the test, since a test whose fault never
 * fired did not test what it says (a test that arms more than it needs on purpose calls {@link #clear()}).
 */
public final class Faults {

    /** How a watch stream ends early. */
    public sealed interface StreamDrop {
        /** Events sent before the stream ends. */
        int afterEvents();

        /** The connection just ends (EOF) after {@code afterEvents} events. */
        record Eof(int afterEvents) implements StreamDrop {}

        /** A last chunk {@code {"error":{"grpc_code":..,"http_code":..,"message":..,"http_status":..}}}. */
        record ErrorChunk(int afterEvents, int grpcCode, String message) implements StreamDrop {}

        /** A last line sent as is (an empty line, {@code null}, malformed or mis-shaped JSON), then EOF. */
        record RawLine(int afterEvents, String line) implements StreamDrop {}

        /**
         * The stream stays open but sends no event after {@code afterEvents} (a stalled server, a buffering proxy);
         * its keepalives go on.
         */
        record Silent(int afterEvents) implements StreamDrop {}
    }

    /** In a canned body: replaced by the bearer token the request presented (a server that echoes what it got). */
    static final String PRESENTED_TOKEN = "${presented-token}";
    /** In a canned body: replaced by the request's body (a login's user name and password, say). */
    static final String REQUEST_BODY = "${request-body}";

    /** A canned answer for requests that match. */
    record HttpFault(String method, Pattern path, int status, String contentType, String body) {
        boolean matches(String requestMethod, String requestPath) {
            return (method == null || method.equals(requestMethod)) && path.matcher(requestPath).matches();
        }
    }

    private final Deque<HttpFault> httpFaults = new ArrayDeque<>();
    private final Deque<StreamDrop> streamDrops = new ArrayDeque<>();
    private int withheldInitialEvents;
    private Integer streamsUnavailableStatus;
    private Duration streamHeaderDelay = Duration.ZERO;
    private final List<String> fired = new ArrayList<>();
    /** Stream drops handed to a stream whose event count has not reached them yet. */
    private final List<StreamDrop> applied = new ArrayList<>();

    Faults() {}

    /**
     * The next {@code times} requests of {@code method} (null: any) whose path matches {@code pathRegex}
     * get {@code httpStatus} with the server's error body ({@code grpc code} derived from the status).
     */
    public synchronized Faults failRequests(String method, String pathRegex, int times, int httpStatus, String message) {
        int code = ArgoError.grpcCodeOf(httpStatus);
        String body = FakeArgoCd.errorBody(code, message);
        for (int i = 0; i < times; i++) {
            httpFaults.add(new HttpFault(method, Pattern.compile(pathRegex), httpStatus, "application/json", body));
        }
        return this;
    }

    /**
     * The next {@code times} requests of {@code method} whose path matches get the server's error for a
     * gRPC code, e.g. {@code (..., 9, "another operation is already in progress")} for 400 code 9.
     */
    public synchronized Faults rejectRequests(String method, String pathRegex, int times, int grpcCode, String message) {
        String body = FakeArgoCd.errorBody(grpcCode, message);
        for (int i = 0; i < times; i++) {
            httpFaults.add(new HttpFault(method, Pattern.compile(pathRegex), ArgoError.httpStatusOf(grpcCode),
                    "application/json", body));
        }
        return this;
    }

    /** The next {@code times} requests, whatever they are, get {@code httpStatus} (a 5xx burst, a 401, ...). */
    public Faults failNext(int times, int httpStatus, String message) {
        return failRequests(null, ".*", times, httpStatus, message);
    }

    /**
     * The next {@code times} requests of {@code method} (null: any) whose path matches get exactly this answer: status,
     * content type and body as given, e.g. a 200 with an empty body, {@code null} or malformed JSON.
     */
    public synchronized Faults answerRequests(String method, String pathRegex, int times, int httpStatus,
            String contentType, String body) {
        for (int i = 0; i < times; i++) {
            httpFaults.add(new HttpFault(method, Pattern.compile(pathRegex), httpStatus, contentType, body));
        }
        return this;
    }

    /**
     * The next {@code times} requests are refused as a server does that quotes the token it was sent:
     * 401 {@code invalid session: token <the request's bearer token> is malformed}.
     */
    public Faults echoPresentedToken(int times) {
        return failRequests(null, ".*", times, 401, "invalid session: token " + PRESENTED_TOKEN + " is malformed");
    }

    /**
     * The next {@code times} requests of {@code method} whose path matches are refused with 400 quoting the request
     * body, as a server does that cannot parse it: {@code cannot unmarshal <the body>}.
     */
    public Faults echoRequestBody(String method, String pathRegex, int times) {
        return rejectRequests(method, pathRegex, times, ArgoError.INVALID_ARGUMENT, "cannot unmarshal " + REQUEST_BODY);
    }

    /** The next {@code times} requests get a reverse proxy's HTML error page (e.g. 502, 504), not Argo JSON. */
    public synchronized Faults proxyErrors(int times, int httpStatus) {
        String body = "<html><head><title>" + httpStatus + " " + ArgoError.httpStatusText(httpStatus)
                + "</title></head><body><center><h1>" + httpStatus + " " + ArgoError.httpStatusText(httpStatus)
                + "</h1></center></body></html>\n";
        for (int i = 0; i < times; i++) {
            httpFaults.add(new HttpFault(null, Pattern.compile(".*"), httpStatus, "text/html", body));
        }
        return this;
    }

    /** The next {@code times} watch streams end after {@code afterEvents} events with a plain EOF. */
    public synchronized Faults dropStreams(int times, int afterEvents) {
        for (int i = 0; i < times; i++) {
            streamDrops.add(new StreamDrop.Eof(afterEvents));
        }
        return this;
    }

    /** The next {@code times} watch streams end after {@code afterEvents} events with an error chunk. */
    public synchronized Faults breakStreams(int times, int afterEvents, int grpcCode, String message) {
        for (int i = 0; i < times; i++) {
            streamDrops.add(new StreamDrop.ErrorChunk(afterEvents, grpcCode, message));
        }
        return this;
    }

    /** The next {@code times} watch streams send {@code line} as is after {@code afterEvents} events, then end. */
    public synchronized Faults corruptStreams(int times, int afterEvents, String line) {
        for (int i = 0; i < times; i++) {
            streamDrops.add(new StreamDrop.RawLine(afterEvents, line));
        }
        return this;
    }

    /** The next {@code times} watch streams fall silent after {@code afterEvents} events, and stay open. */
    public synchronized Faults silenceStreams(int times, int afterEvents) {
        for (int i = 0; i < times; i++) {
            streamDrops.add(new StreamDrop.Silent(afterEvents));
        }
        return this;
    }

    /**
     * Watch streams are not available at all (a proxy without streaming support): every stream request is
     * answered with {@code httpStatus} (404: plain text, else the server's error body) until cleared with
     * {@link #streamsAvailable()}.
     */
    public synchronized Faults streamsUnavailable(int httpStatus) {
        streamsUnavailableStatus = httpStatus;
        return this;
    }

    public synchronized Faults streamsAvailable() {
        streamsUnavailableStatus = null;
        return this;
    }

    /**
     * The next {@code times} watch streams do not send the initial ADDED event: no status line and no
     * headers reach the client until the app changes (what a watch on a missing app looks like).
     */
    public synchronized Faults withholdInitialStreamEvent(int times) {
        withheldInitialEvents += times;
        return this;
    }

    /** Every watch stream waits this long before its first event (and so before its headers). */
    public synchronized Faults delayStreamHeaders(Duration delay) {
        streamHeaderDelay = delay;
        return this;
    }

    /** Forgets every pending fault. */
    public synchronized Faults clear() {
        httpFaults.clear();
        streamDrops.clear();
        applied.clear();
        withheldInitialEvents = 0;
        streamsUnavailableStatus = null;
        streamHeaderDelay = Duration.ZERO;
        return this;
    }

    /**
     * The counted faults that fired so far, oldest first: {@code 503 on GET /api/v1/applications/guestbook},
     * {@code Eof[afterEvents=1]}, {@code initial event withheld}.
     */
    public synchronized List<String> fired() {
        return List.copyOf(fired);
    }

    /** The counted faults armed and not fired yet. */
    public synchronized List<String> pending() {
        List<String> pending = new ArrayList<>();
        httpFaults.forEach(fault -> pending.add(fault.status() + " on " + (fault.method() == null ? "any request" : fault.method())
                + " matching " + fault.path()));
        streamDrops.forEach(drop -> pending.add(drop.toString()));
        applied.forEach(drop -> pending.add(drop + " (on a stream that never got that far)"));
        if (withheldInitialEvents > 0) {
            pending.add(withheldInitialEvents + " initial stream event(s) to withhold");
        }
        return pending;
    }

    synchronized Optional<HttpFault> takeHttpFault(String method, String path) {
        for (Iterator<HttpFault> it = httpFaults.iterator(); it.hasNext(); ) {
            HttpFault fault = it.next();
            if (fault.matches(method, path)) {
                it.remove();
                fired.add(fault.status() + " on " + method + " " + path);
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /** The next stream drop, now applied to a stream that opens; it fires when {@link #streamDropReached} says so. */
    synchronized Optional<StreamDrop> takeStreamDrop() {
        StreamDrop drop = streamDrops.poll();
        if (drop != null) {
            applied.add(drop);
        }
        return Optional.ofNullable(drop);
    }

    synchronized void streamDropReached(StreamDrop drop) {
        applied.removeIf(candidate -> candidate == drop);
        fired.add(drop.toString());
    }

    synchronized boolean takeWithheldInitialEvent() {
        if (withheldInitialEvents > 0) {
            withheldInitialEvents--;
            fired.add("initial event withheld");
            return true;
        }
        return false;
    }

    synchronized Optional<Integer> streamsUnavailableStatus() {
        return Optional.ofNullable(streamsUnavailableStatus);
    }

    synchronized Duration streamHeaderDelay() {
        return streamHeaderDelay;
    }
}

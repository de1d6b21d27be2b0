package io.jenkins.plugins.gitops.core.testing.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.gitops.core.testing.ServerSideFailures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake hosting service's pull request API on {@code 127.0.0.1} and a random port: the subclasses answer as GitHub,
 * GitLab and Gitea do. Every request and every response is checked against the provider's description
 * ({@link OpenApiContract}); a violation is recorded and fails the test when the fake closes, unless the test
 * {@linkplain #expectContractViolations() expects one}. A request that violates the description is refused as the
 * real service would refuse it. Every call is recorded with its authorization header redacted.
 */
public abstract class FakeForge implements AutoCloseable {

    /** The token the fake accepts. */
    public static final String TOKEN = "fake-forge-token-5f0c3e9a";

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded call. */
    public record Call(String method, String path, Map<String, String> query, JsonNode body, Map<String, String> headers) {}

    /** What the fake answers to one call; {@code operation} is the description's path template, for validation. */
    protected record Reply(int status, JsonNode body, Map<String, String> headers, Optional<String> operation) {
        static Reply of(int status, JsonNode body, String operation) {
            return new Reply(status, body, Map.of(), Optional.of(operation));
        }
    }

    private record Route(String method, Pattern path, String template) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final Optional<OpenApiContract> contract;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Reply> injected = new ArrayDeque<>();
    private final List<Route> routes = new ArrayList<>();
    protected final Map<Long, FakePullRequest> pulls = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicLong numbers = new AtomicLong();
    private volatile boolean violationsExpected;
    private final ServerSideFailures failures = new ServerSideFailures("the fake " + getClass().getSimpleName());
    private volatile boolean raceNextCreate;
    protected final String owner;
    protected final String repo;

    protected FakeForge(String project, Optional<OpenApiContract> contract) throws IOException {
        int slash = project.lastIndexOf('/');
        this.owner = project.substring(0, slash);
        this.repo = project.substring(slash + 1);
        this.contract = contract;
        if (contract.isEmpty()) {
            System.err.println(getClass().getSimpleName() + ": no API description, requests and responses are not validated");
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "fake-forge-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API root to give the client, e.g. {@code http://127.0.0.1:PORT/api/v3}. */
    public abstract String apiUrl();

    protected String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Declares an operation: {@code {name}} segments of the template match one path segment. */
    protected final void route(String method, String template) {
        String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E([^/]+)\\\\Q");
        routes.add(new Route(method, Pattern.compile(regex), template));
    }

    /** Whether the call's authorization is the accepted token. */
    protected abstract boolean authorized(HttpExchange exchange);

    /** The header that carries the token (redacted in the record). */
    protected abstract String authorizationHeader();

    /** The service's answer to a missing or wrong token. */
    protected abstract Reply unauthorized();

    /** The service's answer to a request its description refuses. */
    protected abstract Reply invalid(String template, List<String> problems);

    /** Answers a validated call; {@code parameters} are the template's path parameters in order. */
    protected abstract Reply answer(String template, Call call, List<String> parameters);

    // ---- what tests see and do -------------------------------------------------------------------------------

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method, String pathRegex) {
        return calls().stream().filter(c -> c.method().equals(method) && c.path().matches(pathRegex)).toList();
    }

    /** The pull request a path parameter names, if any (an unparsable number names none). */
    protected Optional<FakePullRequest> find(String number) {
        try {
            return Optional.ofNullable(pulls.get(Long.parseLong(number)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public List<FakePullRequest> pulls() {
        synchronized (pulls) {
            return List.copyOf(pulls.values());
        }
    }

    public FakePullRequest pull(long number) {
        FakePullRequest pr = pulls.get(number);
        if (pr == null) {
            throw new IllegalArgumentException("no pull request " + number);
        }
        return pr;
    }

    /** Opens a pull request as a person would in the web interface. */
    public FakePullRequest open(String head, String base, String title) {
        return create(head, base, title, "", false);
    }

    /** Merges it: the service reports it merged with {@code mergeCommit} (a commit the test put on the base branch). */
    public void merge(long number, String mergeCommit) {
        FakePullRequest pr = pull(number);
        pr.mergeCommit = mergeCommit;
        pr.closedAt = Instant.now();
        pr.updatedAt = pr.closedAt;
        pr.state = FakePullRequest.State.MERGED;
    }

    /** Closes it unmerged. */
    public void closeUnmerged(long number) {
        FakePullRequest pr = pull(number);
        pr.closedAt = Instant.now();
        pr.updatedAt = pr.closedAt;
        pr.state = FakePullRequest.State.CLOSED;
    }

    /**
     * Answers the next {@code count} calls with a rate-limit refusal of {@code status} (403 or 429) and these
     * headers (e.g. {@code X-RateLimit-Reset}), before they reach the API. Refusals still pending when the fake
     * closes fail the test: the fault never fired.
     */
    public void rateLimitNext(int count, int status, Map<String, String> headers) {
        synchronized (injected) {
            for (int i = 0; i < count; i++) {
                injected.add(new Reply(status, rateLimitBody(), headers, Optional.empty()));
            }
        }
    }

    /** The body of a rate-limit refusal. */
    protected abstract JsonNode rateLimitBody();

    /**
     * The next creation finds that another pipeline opened a pull request for the same branches a moment before:
     * the fake opens one, then refuses the creation as a duplicate (GitHub's 422, GitLab's and Gitea's 409). A race
     * still pending when the fake closes fails the test.
     */
    public void raceNextCreate() {
        raceNextCreate = true;
    }

    /** Allows contract violations in this test (one that shows the check rejects a wrong body). */
    public void expectContractViolations() {
        violationsExpected = true;
    }

    public List<String> contractViolations() {
        return List.copyOf(violations);
    }

    /** Whether the fake validates against a description. */
    public boolean validates() {
        return contract.isPresent();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        failures.rethrow();
        synchronized (injected) {
            if (!injected.isEmpty() || raceNextCreate) {
                throw new AssertionError("faults armed on the fake " + getClass().getSimpleName() + " that never fired"
                        + " (the test did not test what it says): " + injected.size() + " rate-limited answer(s)"
                        + (raceNextCreate ? ", a racing creation" : ""));
            }
        }
        if (!violationsExpected && !violations.isEmpty()) {
            throw new AssertionError("The client or the fake broke the " + contract.map(OpenApiContract::name).orElse("")
                    + " contract:\n  " + String.join("\n  ", violations));
        }
    }

    // ---- for subclasses ---------------------------------------------------------------------------------------

    protected final FakePullRequest create(String head, String base, String title, String body, boolean draft) {
        long number = numbers.incrementAndGet();
        FakePullRequest pr = new FakePullRequest(number, 1000 + number, head, base, title, body, draft, Instant.now());
        pulls.put(number, pr);
        return pr;
    }

    /** Consumes the race flag: true once after {@link #raceNextCreate()}. */
    protected final boolean takeRace() {
        boolean race = raceNextCreate;
        raceNextCreate = false;
        return race;
    }

    protected final Optional<FakePullRequest> openFor(String head, String base) {
        synchronized (pulls) {
            return pulls.values().stream()
                    .filter(pr -> pr.state == FakePullRequest.State.OPEN && pr.head.equals(head) && pr.base.equals(base))
                    .findFirst();
        }
    }

    protected static ObjectNode object() {
        return JSON.createObjectNode();
    }

    // ---- the server --------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? MissingNode.getInstance() : parse(raw);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                    name.equalsIgnoreCase(authorizationHeader()) ? "(redacted)" : String.join(",", values)));
            Call call = new Call(method, decode(path), query, body, headers);
            calls.add(call);
            Reply reply;
            synchronized (injected) {
                reply = injected.poll();
            }
            if (reply == null) {
                reply = dispatch(exchange, call, path);
            }
            send(exchange, reply);
        } catch (RuntimeException | Error e) {
            failures.record(exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            throw e;
        }
    }

    private Reply dispatch(HttpExchange exchange, Call call, String rawPath) {
        if (!authorized(exchange)) {
            return unauthorized();
        }
        for (Route route : routes) {
            Matcher m = route.path().matcher(rawPath);
            if (route.method().equals(call.method()) && m.matches()) {
                List<String> parameters = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    parameters.add(decode(m.group(i)));
                }
                if (contract.isPresent()) {
                    List<String> problems = contract.get().validateRequest(call.method(), route.template(), call.query(), call.body());
                    if (!problems.isEmpty()) {
                        violations.addAll(problems);
                        return invalid(route.template(), problems);
                    }
                }
                Reply reply = answer(route.template(), call, parameters);
                reply.operation().ifPresent(template -> contract.ifPresent(c ->
                        violations.addAll(c.validateResponse(call.method(), template, reply.status(), reply.body()))));
                return reply;
            }
        }
        violations.add("no such operation in the fake: " + call.method() + " " + rawPath);
        ObjectNode notFound = object().put("message", "Not Found");
        return new Reply(404, notFound, Map.of(), Optional.empty());
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body() == null || reply.body().isMissingNode() ? new byte[0]
                : JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static JsonNode parse(byte[] raw) {
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(raw, StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

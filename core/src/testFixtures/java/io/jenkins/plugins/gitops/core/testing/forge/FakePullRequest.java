package io.jenkins.plugins.gitops.core.testing.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A pull (merge) request as a fake hosting service holds it; tests read it and change its state. */
public final class FakePullRequest {

    /** Where it stands. */
    public enum State { OPEN, CLOSED, MERGED }

    final long number;
    final long id;
    final String head;
    final String base;
    final Instant createdAt;
    volatile String title;
    volatile String body;
    volatile boolean draft;
    volatile State state = State.OPEN;
    volatile String mergeCommit;
    volatile Instant updatedAt;
    volatile Instant closedAt;
    final List<String> labels = new ArrayList<>();

    FakePullRequest(long number, long id, String head, String base, String title, String body, boolean draft, Instant now) {
        this.number = number;
        this.id = id;
        this.head = head;
        this.base = base;
        this.title = title;
        this.body = body;
        this.draft = draft;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public long number() {
        return number;
    }

    public String head() {
        return head;
    }

    public String base() {
        return base;
    }

    public String title() {
        return title;
    }

    public String body() {
        return body;
    }

    public boolean draft() {
        return draft;
    }

    public State state() {
        return state;
    }

    /** Adds the labels it does not have yet, as the label endpoints of GitHub and Gitea do. */
    synchronized void addLabels(Iterable<JsonNode> names) {
        for (JsonNode name : names) {
            if (!labels.contains(name.asText())) {
                labels.add(name.asText());
            }
        }
    }

    public synchronized List<String> labels() {
        return List.copyOf(labels);
    }
}

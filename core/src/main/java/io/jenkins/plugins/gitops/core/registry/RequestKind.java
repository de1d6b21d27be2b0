package io.jenkins.plugins.gitops.core.registry;

/** The kinds of request the client sends, counted per run ({@link RegistryClient#requestCounts()}). */
public enum RequestKind {
    /** {@code GET /v2/}: the version check that yields the authentication challenge. */
    PING,
    /** A request to the token service of a Bearer challenge. */
    TOKEN,
    /** {@code GET /v2/<name>/tags/list}, one per page. */
    TAGS,
    /** {@code HEAD /v2/<name>/manifests/<reference>}. */
    MANIFEST_HEAD,
    /** {@code GET /v2/<name>/manifests/<reference>}. */
    MANIFEST_GET,
    /** {@code GET /v2/<name>/blobs/<digest>} (the image configuration), including redirects to blob storage. */
    BLOB_GET
}

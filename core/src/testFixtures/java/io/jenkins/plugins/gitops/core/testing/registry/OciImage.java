package io.jenkins.plugins.gitops.core.testing.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * An OCI image written by the tests themselves: one empty layer, a configuration with a known {@code created} time
 * and platform, and its manifest; or an index of such images. {@link #writeLayout} lays it out as an OCI image layout
 * for {@code skopeo copy oci:DIR ...}.
 *
 * @param mediaType the top manifest's media type (OCI manifest or OCI index)
 * @param manifest  the top manifest's bytes
 * @param blobs     every layer and configuration by digest, an index's images' included
 * @param images    an index's per-platform images (empty for a single-platform image)
 */
public record OciImage(String mediaType, byte[] manifest, Map<String, byte[]> blobs, List<OciImage> images) {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY_LAYER = gzip(new byte[1024]); // an empty tar: two zero blocks

    /** A single-platform image ({@code os/architecture[/variant]}) built at {@code created}. */
    public static OciImage single(Instant created, String platform) {
        String[] p = platform.split("/");
        ObjectNode config = JSON.createObjectNode();
        config.put("created", created.toString());
        config.put("architecture", p[1]);
        config.put("os", p[0]);
        if (p.length > 2) {
            config.put("variant", p[2]);
        }
        config.putObject("config").putArray("Cmd").add("/bin/true");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(digest(new byte[1024]));
        byte[] configBytes = bytes(config);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", configBytes));
        manifest.putArray("layers").add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", EMPTY_LAYER));
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put(digest(EMPTY_LAYER), EMPTY_LAYER);
        blobs.put(digest(configBytes), configBytes);
        return new OciImage(OCI_MANIFEST, bytes(manifest), blobs, List.of());
    }

    /** A multi-platform image: an index of single-platform images. */
    public static OciImage index(List<OciImage> images) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        for (OciImage image : images) {
            ObjectNode entry = descriptor(OCI_MANIFEST, image.manifest());
            ObjectNode config = image.configJson();
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", config.get("architecture").asText());
            platform.put("os", config.get("os").asText());
            if (config.has("variant")) {
                platform.put("variant", config.get("variant").asText());
            }
            manifests.add(entry);
            blobs.putAll(image.blobs());
        }
        return new OciImage(OCI_INDEX, bytes(index), blobs, List.copyOf(images));
    }

    /** The digest of the top manifest: what a pull by tag resolves to. */
    public String digest() {
        return digest(manifest);
    }

    /** The configuration of a single-platform image. */
    public ObjectNode configJson() {
        try {
            String configDigest = JSON.readTree(manifest).path("config").path("digest").asText();
            return (ObjectNode) JSON.readTree(blobs.get(configDigest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the image as an OCI image layout in {@code dir} (created), for {@code oci:DIR}. */
    public Path writeLayout(Path dir) throws IOException {
        Path blobDir = Files.createDirectories(dir.resolve("blobs/sha256"));
        for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
            Files.write(blobDir.resolve(blob.getKey().substring("sha256:".length())), blob.getValue());
        }
        for (OciImage image : images) {
            Files.write(blobDir.resolve(image.digest().substring("sha256:".length())), image.manifest());
        }
        Files.write(blobDir.resolve(digest().substring("sha256:".length())), manifest);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.putArray("manifests").add(descriptor(mediaType, manifest));
        Files.write(dir.resolve("index.json"), bytes(index));
        return dir;
    }

    static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode descriptor(String mediaType, byte[] content) {
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest(content));
        descriptor.put("size", content.length);
        return descriptor;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

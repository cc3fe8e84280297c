package io.jpmem.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The peers' versions as pinned in jpmem-bench-peers' pom (a filtered resource), for the result labels. */
final class PeerVersions {

    private static final Properties VERSIONS = new Properties();

    static {
        try (InputStream in = PeerVersions.class.getResourceAsStream("peer-versions.properties")) {
            if (in != null) {
                VERSIONS.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PeerVersions() {}

    static String get(String artifact) {
        return VERSIONS.getProperty(artifact, "?");
    }
}

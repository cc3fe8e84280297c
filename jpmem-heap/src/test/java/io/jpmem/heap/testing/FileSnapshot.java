package io.jpmem.heap.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a file held at one moment: size, modification time and SHA-256 of every byte. Tests take one
 * before an operation that must not write, and compare after.
 *
 * @param size length in bytes
 * @param modified last modification time
 * @param sha256 digest of the contents, hex
 */
public record FileSnapshot(long size, FileTime modified, String sha256) {

    public static FileSnapshot of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return new FileSnapshot(Files.size(file), Files.getLastModifiedTime(file),
                    HexFormat.of().formatHex(digest.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.github.nspawnrunner.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The name of a job's machine as the network sees it: it names the job's nftables table and,
 * within the kernel's 15 characters, the host side of its veth link. Checked again here because
 * it goes into nft's input and into link names.
 */
public record JobName(String value) {
    /** Linux's IFNAMSIZ less the terminating NUL. */
    static final int MAX_INTERFACE_NAME = 15;
    private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final int HASH_CHARS = 8;

    public JobName {
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a machine name like nsr-42");
        }
    }

    /** The nftables table of the job (in family inet): its name is the machine's. */
    public String table() {
        return value;
    }

    /**
     * The host side of the job's veth: the machine name when it fits, else its start and a hash
     * of the whole name, so distinct machines never share a link name however long their names.
     */
    public String hostInterface() {
        if (value.length() <= MAX_INTERFACE_NAME) {
            return value;
        }
        String head = value.substring(0, MAX_INTERFACE_NAME - HASH_CHARS - 1);
        return head + "-" + sha256Hex(value).substring(0, HASH_CHARS);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

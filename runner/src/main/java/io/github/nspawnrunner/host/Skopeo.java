package io.github.nspawnrunner.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * skopeo, the registry client: resolving a reference to its manifest and copying an image into an
 * OCI layout. Credentials only ever travel in the auth file named by --authfile (never --creds:
 * a command line is readable by every local user), and skopeo runs with HOME set to that file's
 * private directory and nothing else of the caller's environment, so it finds no other
 * credentials (root's ~/.docker/config.json, $XDG_RUNTIME_DIR/containers/auth.json): a job gets
 * exactly its own. /etc/containers (registries.conf: mirrors, insecure registries) is the admin's
 * and applies.
 */
public final class Skopeo {
    private final String binary;

    public Skopeo(String binary) {
        this.binary = binary;
    }

    public static Skopeo onPath() {
        return new Skopeo("skopeo");
    }

    /** The raw manifest of docker://REFERENCE: one manifest request (plus the registry's token request). */
    public byte[] rawManifest(String reference, Path authFile, Consumer<String> progress) {
        return ToolProcess.run(List.of(binary, "inspect", "--raw", "--retry-times", "2", "--authfile", authFile.toString(),
                "docker://" + reference), environment(authFile), null, "resolving " + reference, progress, false);
    }

    /**
     * Copies docker://REFERENCE into the OCI layout LAYOUT as TAG, with skopeo's progress lines to
     * PROGRESS, under GUARD. skopeo buffers in LAYOUT's parent directory (TMPDIR), so the guard
     * that watches that directory sees every byte of the download.
     */
    public void copyToLayout(String reference, Path layout, String tag, Path authFile, Consumer<String> progress,
            ProcessGuard guard) {
        ToolProcess.run(List.of(binary, "copy", "--retry-times", "2", "--authfile", authFile.toString(),
                "docker://" + reference, "oci:" + layout + ":" + tag), environment(authFile, layout.getParent()), null,
                "pulling " + reference, progress, true, guard);
    }

    /** Copies the OCI layout LAYOUT's TAG to docker://REFERENCE (publishing a chroot), the pushed manifest's digest into DIGESTFILE. */
    public void copyFromLayout(Path layout, String tag, String reference, Path authFile, Path digestFile, Consumer<String> progress) {
        ToolProcess.run(List.of(binary, "copy", "--retry-times", "2", "--authfile", authFile.toString(),
                "--digestfile", digestFile.toString(), "oci:" + layout + ":" + tag, "docker://" + reference),
                environment(authFile), null, "pushing " + reference, progress, true);
    }

    private static Map<String, String> environment(Path authFile) {
        return environment(authFile, Path.of("/var/tmp"));
    }

    /** Big layers are buffered in TMPDIR: the private dir is on /run (memory), so never there. */
    private static Map<String, String> environment(Path authFile, Path tmpDir) {
        Path home = authFile.getParent();
        return Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", home.toString(),
                "TMPDIR", tmpDir.toString());
    }
}

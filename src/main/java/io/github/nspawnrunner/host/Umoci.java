package io.github.nspawnrunner.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * umoci, for OCI layouts on disk. {@code umoci raw unpack} applies an image's layers (whiteouts
 * included) into a plain root filesystem, owned as the image's tar headers say when run as root,
 * with none of {@code umoci unpack}'s runtime bundle around it (config.json, mtree manifest).
 */
public final class Umoci {
    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    private final String binary;

    public Umoci(String binary) {
        this.binary = binary;
    }

    public static Umoci onPath() {
        return new Umoci("umoci");
    }

    /** Unpacks LAYOUT's TAG into ROOTFS, which must not exist yet. */
    public void rawUnpack(Path layout, String tag, Path rootfs, Consumer<String> progress) {
        ToolProcess.run(List.of(binary, "raw", "unpack", "--image", layout + ":" + tag, rootfs.toString()), ENVIRONMENT, null,
                "unpacking " + layout + ":" + tag, progress, true);
    }
}

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

    /** Unpacks LAYOUT's TAG into ROOTFS, which must not exist yet, under GUARD. */
    public void rawUnpack(Path layout, String tag, Path rootfs, Consumer<String> progress, ProcessGuard guard) {
        ToolProcess.run(List.of(binary, "raw", "unpack", "--image", layout + ":" + tag, rootfs.toString()), ENVIRONMENT, null,
                "unpacking " + layout + ":" + tag, progress, true, guard);
    }

    /**
     * Makes LAYOUT (not existing yet) an OCI layout whose TAG is SOURCE as one layer, owners,
     * modes, links and extended attributes as they are, with ENV and WORKINGDIR as its config.
     */
    public void create(Path layout, String tag, Path source, List<String> env, String workingDir, Consumer<String> progress) {
        String image = layout + ":" + tag;
        ToolProcess.run(List.of(binary, "init", "--layout", layout.toString()), ENVIRONMENT, null, "making an OCI layout", progress, true);
        ToolProcess.run(List.of(binary, "new", "--image", image), ENVIRONMENT, null, "making an OCI image", progress, true);
        ToolProcess.run(List.of(binary, "insert", "--image", image, source.toString(), "/"), ENVIRONMENT, null,
                "packing " + source, progress, true);
        List<String> config = new java.util.ArrayList<>(List.of(binary, "config", "--image", image, "--config.workingdir", workingDir));
        for (String variable : env) {
            config.add("--config.env");
            config.add(variable);
        }
        ToolProcess.run(config, ENVIRONMENT, null, "configuring the OCI image", progress, true);
    }
}

package io.github.nspawnrunner.config;

import java.nio.file.Path;

/** A host directory bound into the jobs of a profile, from a host_dirs entry "SOURCE:TARGET[:ro|rw]". */
public record HostDir(Path source, Path target, boolean readOnly) {
    /** As the admin wrote it: "/srv/yocto/sstate:/yocto/sstate:rw". */
    public String describe() {
        return source + ":" + target + (readOnly ? ":ro" : ":rw");
    }
}

package io.github.nspawnrunner.machine;

import io.github.nspawnrunner.chroot.ChrootName;
import io.github.nspawnrunner.config.Profile;
import io.github.nspawnrunner.config.Profiles;
import io.github.nspawnrunner.executor.ExecutorEnvironment;
import io.github.nspawnrunner.failure.ExecutorException;

/**
 * The profile of a job: the one its job variable NSPAWN_RUNNER_PROFILE names, if the admin lets
 * jobs select it and it may be used with the job's chroot, else the default profile. A job that
 * asks for anything else fails prepare as its own fault, before anything is created.
 */
public final class ProfileSelection {
    public static final String VARIABLE = "NSPAWN_RUNNER_PROFILE";

    private ProfileSelection() {
    }

    public static Profile select(Profiles profiles, ExecutorEnvironment environment, ChrootName chroot) {
        return select(profiles, environment, chroot.value());
    }

    /** For a job on BASE: a chroot's name or an image's full reference (which a profile's chroots list does not hold). */
    public static Profile select(Profiles profiles, ExecutorEnvironment environment, String base) {
        Profile profile = profiles.defaultProfile();
        var asked = environment.jobVariable(VARIABLE);
        if (asked.isPresent()) {
            String name = asked.get();
            String shown = VARIABLE + "=" + ExecutorEnvironment.printable(name);
            String choices = "; jobs may select " + String.join(", ", profiles.selectableNames());
            profile = profiles.find(name).orElseThrow(() -> ExecutorException.build(
                    "job variable " + shown + " names no profile of this runner" + choices));
            if (!profiles.isSelectable(name)) {
                throw ExecutorException.build("job variable " + shown + " names a profile that jobs may not select"
                        + " (not in this runner's profiles_allowed)" + choices);
            }
        }
        if (!profile.allowsChroot(base)) {
            throw ExecutorException.build("profile " + profile.name() + " may be used with chroots "
                    + String.join(", ", profile.chroots()) + ", not with " + base);
        }
        return profile;
    }
}

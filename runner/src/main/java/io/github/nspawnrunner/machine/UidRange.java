package io.github.nspawnrunner.machine;

/**
 * The host uids (and gids) that a job's user namespace maps its 0..65535 to: SHIFT..SHIFT+65535.
 * The runner picks them itself: systemd-nspawn 252 refuses --private-users=pick with a custom root
 * overlay ("--private-users with automatic UID shift may not be combined with custom root mounts").
 */
public record UidRange(long shift) {
    public static final long SIZE = 0x10000;
    /**
     * Right above the range systemd-nspawn picks from for its own containers (0x00080000 to
     * 0x6FFFFFFF, systemd's UIDS-GIDS.md), so a runner's job never shares uids with such a container.
     */
    static final long FIRST_SHIFT = 0x70000000L;
    /** As many concurrent jobs as a runner host could carry, well below 0x7FFE0000 (systemd's "foreign" range). */
    static final int SLOTS = 1024;

    public UidRange {
        if (shift < FIRST_SHIFT || shift >= FIRST_SHIFT + SLOTS * SIZE || shift % SIZE != 0) {
            throw new IllegalArgumentException("not a job uid range: " + shift);
        }
    }

    static UidRange ofSlot(int slot) {
        return new UidRange(FIRST_SHIFT + slot * SIZE);
    }

    int slot() {
        return (int) ((shift - FIRST_SHIFT) / SIZE);
    }

    /** The host uid of uid ID inside the job. */
    public long hostId(long id) {
        return shift + id;
    }

    /** systemd-nspawn's --private-users= value. */
    public String nspawnValue() {
        return shift + ":" + SIZE;
    }
}

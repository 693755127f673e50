package net.ctracker.announce;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import net.ctracker.swarm.InfoHash;

/**
 * Which info hashes this tracker serves: an allow list (only these; a CDN's own content), a deny
 * list (all but these), both, or neither. Immutable; a reload builds a new one.
 */
public final class AccessList {

    /** Serves every hash. */
    public static final AccessList OPEN = new AccessList(null, null);

    private final Set<InfoHash> allow;
    private final Set<InfoHash> deny;

    /** @param allow null for no allow list; @param deny null for no deny list */
    public AccessList(Set<InfoHash> allow, Set<InfoHash> deny) {
        this.allow = allow == null ? null : Set.copyOf(allow);
        this.deny = deny == null ? null : Set.copyOf(deny);
    }

    public boolean isOpen() {
        return allow == null && deny == null;
    }

    public boolean permits(InfoHash hash) {
        return (allow == null || allow.contains(hash)) && (deny == null || !deny.contains(hash));
    }

    /** Entries of the allow list, -1 when there is none. */
    public int allowSize() {
        return allow == null ? -1 : allow.size();
    }

    /** Entries of the deny list, -1 when there is none. */
    public int denySize() {
        return deny == null ? -1 : deny.size();
    }

    /**
     * Parses a list file: one info hash a line as 40 hex digits, optionally followed by white space
     * and a comment; blank lines and lines starting with {@code #} are skipped. Any other line makes
     * the whole file invalid: {@link IllegalArgumentException} naming the line.
     */
    public static Set<InfoHash> parse(List<String> lines) {
        Set<InfoHash> hashes = new HashSet<>(Math.max(16, lines.size() * 4 / 3));
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                end++;
            }
            String word = line.substring(0, end);
            if (word.length() != 2 * InfoHash.LENGTH || !isHex(word)) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 40 hex digits, got '"
                        + (word.length() > 50 ? word.substring(0, 50) + "..." : word) + "'");
            }
            hashes.add(InfoHash.of(hex.parseHex(word)));
        }
        return hashes;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}

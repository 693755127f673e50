package net.ctracker.announce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import net.ctracker.swarm.InfoHash;

/**
 * The allow and deny list files ({@code ctracker.access.allow-list}, {@code deny-list}), re-read
 * when they change. {@link #refresh()} is cheap when nothing changed (one stat per file); a changed
 * file is parsed whole, and a file that cannot be read or parsed keeps the list in force and logs
 * why, once per version of the file. At start-up a missing or broken file is an error: a tracker
 * that meant to serve only its own content must not start serving everything.
 */
public final class AccessListFiles {

    /** Told of every reload attempt. */
    public interface Observer {
        Observer NONE = (kind, ok, size) -> { };

        /** @param kind "allow" or "deny"; @param size entries now in force */
        void reloaded(String kind, boolean ok, int size);
    }

    private static final System.Logger log = System.getLogger(AccessListFiles.class.getName());

    private final Watched allow;
    private final Watched deny;
    private final Observer observer;
    private volatile AccessList current;

    /** Reads both files now; throws {@link IllegalArgumentException} naming the file if one is unusable. */
    public AccessListFiles(Path allowFile, Path denyFile, Observer observer) {
        this.observer = observer;
        this.allow = allowFile == null ? null : new Watched("allow", allowFile);
        this.deny = denyFile == null ? null : new Watched("deny", denyFile);
        for (Watched w : new Watched[] {allow, deny}) {
            if (w != null) {
                try {
                    w.load(w.stat());
                } catch (IOException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("ctracker.access." + w.kind + "-list " + w.path + ": " + message(e), e);
                }
                log.log(System.Logger.Level.INFO, "{0} list {1}: {2} info hashes", w.kind, w.path, w.hashes.size());
            }
        }
        this.current = build();
    }

    public AccessList current() {
        return current;
    }

    /** Re-reads whichever file changed since the last look; true when the list in force changed. */
    public boolean refresh() {
        boolean changed = false;
        for (Watched w : new Watched[] {allow, deny}) {
            if (w != null) {
                changed |= w.refresh();
            }
        }
        if (changed) {
            current = build();
        }
        return changed;
    }

    private AccessList build() {
        return new AccessList(allow == null ? null : allow.hashes, deny == null ? null : deny.hashes);
    }

    private static String message(Exception e) {
        return e instanceof IOException ? "cannot read it (" + e + ")" : e.getMessage();
    }

    /** What identifies one version of a file without reading it. */
    private record Version(Object key, long modified, long size) {
    }

    private final class Watched {
        final String kind;
        final Path path;
        Set<InfoHash> hashes;
        Version loaded;
        Version refused;

        Watched(String kind, Path path) {
            this.kind = kind;
            this.path = path;
        }

        Version stat() throws IOException {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Version(a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
        }

        void load(Version version) throws IOException {
            hashes = AccessList.parse(Files.readAllLines(path, StandardCharsets.UTF_8));
            loaded = version;
        }

        boolean refresh() {
            Version version;
            try {
                version = stat();
            } catch (IOException e) {
                version = new Version("missing", 0, -1);
                if (!version.equals(refused)) {
                    refused = version;
                    log.log(System.Logger.Level.WARNING, "{0} list {1} is gone ({2}); keeping the {3} entries in force", kind, path, e, hashes.size());
                    observer.reloaded(kind, false, hashes.size());
                }
                return false;
            }
            if (version.equals(loaded) || version.equals(refused)) {
                return false;
            }
            try {
                load(version);
                refused = null;
                log.log(System.Logger.Level.INFO, "{0} list {1} reloaded: {2} info hashes", kind, path, hashes.size());
                observer.reloaded(kind, true, hashes.size());
                return true;
            } catch (IOException | IllegalArgumentException e) {
                refused = version;
                log.log(System.Logger.Level.WARNING, "{0} list {1} not reloaded, keeping the {2} entries in force: {3}", kind, path, hashes.size(), message(e));
                observer.reloaded(kind, false, hashes.size());
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return "AccessListFiles[allow=" + (allow == null ? null : allow.path) + ", deny="
                + (deny == null ? null : Objects.toString(deny.path)) + "]";
    }
}

package net.ctracker.locality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The ALTO network map and cost map files an operator gives ({@code ctracker.locality.alto-network-map},
 * {@code alto-cost-map}), read at start-up and re-read when either changes (size or modification
 * time; {@link #refresh()} is called now and then by the wiring). A file that does not parse stops
 * start-up with a message naming the file and the problem; a broken new version at run time keeps
 * the maps in force and logs why. Thread-safe: {@link #current()} reads a volatile.
 */
public final class AltoFiles {

    private static final System.Logger LOG = System.getLogger(AltoFiles.class.getName());

    private final Path network;
    private final Path cost;
    private volatile AltoMaps current;
    private Stamp seen;

    private record Stamp(long networkSize, long networkModified, long costSize, long costModified) {
    }

    /** @param cost may be null (a network map alone) */
    public AltoFiles(Path network, Path cost) {
        this.network = Objects.requireNonNull(network);
        this.cost = cost;
        try {
            this.seen = stamp();
            this.current = load();
        } catch (IOException | AltoMaps.AltoException e) {
            throw new IllegalStateException(describe(e), e);
        }
        LOG.log(System.Logger.Level.INFO, "ALTO maps {0}{1}: {2}", network, cost == null ? "" : " and " + cost, current);
    }

    public AltoMaps current() {
        return current;
    }

    /** Re-reads the files if they changed; returns whether new maps are in force. */
    public synchronized boolean refresh() {
        Stamp now;
        try {
            now = stamp();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ALTO maps not re-read, the ones in force stay: {0}", describe(e));
            return false;
        }
        if (now.equals(seen)) {
            return false;
        }
        seen = now;
        try {
            current = load();
            LOG.log(System.Logger.Level.INFO, "ALTO maps re-read: {0}", current);
            return true;
        } catch (IOException | AltoMaps.AltoException e) {
            LOG.log(System.Logger.Level.ERROR, "ALTO maps not reloaded, the ones in force stay: {0}", describe(e));
            return false;
        }
    }

    private AltoMaps load() throws IOException, AltoMaps.AltoException {
        String n = read(network);
        String c = cost == null ? null : read(cost);
        return AltoMaps.parse(n, c);
    }

    private static String read(Path p) throws IOException {
        if (Files.size(p) > 64L << 20) {
            throw new IOException(p + " is over 64 MB");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private Stamp stamp() throws IOException {
        BasicFileAttributes n = Files.readAttributes(network, BasicFileAttributes.class);
        BasicFileAttributes c = cost == null ? null : Files.readAttributes(cost, BasicFileAttributes.class);
        return new Stamp(n.size(), n.lastModifiedTime().toMillis(), c == null ? 0 : c.size(),
                c == null ? 0 : c.lastModifiedTime().toMillis());
    }

    /** Names the setting and the file the problem is in. */
    private String describe(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        boolean inCost = cost != null && (e instanceof AltoMaps.AltoException ? message.startsWith("cost map")
                : message.contains(cost.toString()));
        Path file = inCost ? cost : network;
        String setting = inCost ? "ctracker.locality.alto-cost-map " : "ctracker.locality.alto-network-map ";
        if (e instanceof AltoMaps.AltoException) {
            return setting + file + ": " + message;
        }
        return setting + file + ": cannot read it (" + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : message) + ")";
    }
}

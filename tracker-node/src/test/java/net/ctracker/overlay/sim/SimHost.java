package net.ctracker.overlay.sim;

import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.time.Cancellable;
import net.ctracker.time.Scheduler;

/** One simulated machine: an overlay node, its event loop on the shared virtual timeline, and fault state. */
public final class SimHost implements Scheduler {

    private final Simulator sim;
    private final int id;
    private final NodeHandle handle;
    private OverlayNode node;
    private boolean alive = true;
    private int group;
    private long joinStartedAt;
    private long joinedAt = -1;

    SimHost(Simulator sim, int id, NodeHandle handle) {
        this.sim = sim;
        this.id = id;
        this.handle = handle;
    }

    void attach(OverlayNode node) {
        this.node = node;
    }

    public int id() {
        return id;
    }

    public NodeHandle handle() {
        return handle;
    }

    public OverlayNode node() {
        return node;
    }

    public boolean alive() {
        return alive;
    }

    /** Crash: the host stops at once, its pending events are dropped and messages to it are lost. */
    public void kill() {
        alive = false;
    }

    public int group() {
        return group;
    }

    void group(int g) {
        group = g;
    }

    long joinStartedAt() {
        return joinStartedAt;
    }

    void joinStartedAt(long t) {
        joinStartedAt = t;
    }

    long joinedAt() {
        return joinedAt;
    }

    void joinedAt(long t) {
        joinedAt = t;
    }

    @Override
    public long nowMillis() {
        return sim.now();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        return sim.after(delayMillis, this, task);
    }

    @Override
    public void execute(Runnable task) {
        sim.after(0, this, task);
    }

    /** Every host's loop is the thread that drives the simulator. */
    @Override
    public boolean onLoop() {
        return sim.onDrivingThread();
    }

    @Override
    public String toString() {
        return "host" + id + "(" + handle.key().shortString() + (alive ? "" : ", dead") + ")";
    }
}

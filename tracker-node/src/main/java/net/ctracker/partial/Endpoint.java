package net.ctracker.partial;

import java.util.Arrays;

/** A compact peer address and port (6 or 18 bytes) as a map key. The array is not copied: callers hand over a private one. */
final class Endpoint {

    private final byte[] bytes;
    private final int hash;

    Endpoint(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && hash == e.hash && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}

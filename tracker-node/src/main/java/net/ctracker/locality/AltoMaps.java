package net.ctracker.locality;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An operator's ISP map in the standard form: an ALTO network map and, optionally, a cost map
 * (RFC 7285 sections 11.2.1 and 11.2.3; the JSON documents of {@code application/alto-networkmap+json}
 * and {@code application/alto-costmap+json}). Addresses in one PID are one network; the cost map
 * orders the others. Immutable once parsed.
 *
 * <p>What a document must be, or it is refused with a message that says what and where: a JSON
 * object with a {@code network-map} object of PIDs (names of 1..64 characters from
 * {@code [A-Za-z0-9-:@_.]}), each an object of {@code ipv4}/{@code ipv6} lists of CIDR prefixes
 * (valid address, prefix length within the family, no host bits set), no prefix in two PIDs, at
 * least one PID. A cost map: a {@code cost-map} object whose keys and inner keys are PIDs of the
 * network map and whose values are non-negative numbers, {@code meta.cost-type.cost-mode}
 * {@code numerical} or {@code ordinal}, and, when both documents carry version tags, a
 * {@code meta.dependent-vtags} entry naming the network map's {@code resource-id} and {@code tag}.
 */
public final class AltoMaps {

    /** No map: every address is in no PID. */
    public static final AltoMaps NONE = new AltoMaps(new HashMap<>(), new HashMap<>(), Map.of(), "none");

    private static final Pattern PID_NAME = Pattern.compile("[A-Za-z0-9\\-:@_.]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prefixes by length, per family: {@code v4.get(len)} maps a masked address to its PID. */
    private final Map<Integer, Map<Prefix, String>> v4;
    private final Map<Integer, Map<Prefix, String>> v6;
    private final Map<String, Map<String, Double>> costs;
    private final String description;

    /** A masked address as a map key. */
    private record Prefix(long high, long low) {
    }

    /** A document that is not a valid map; the message names the problem and where. */
    public static final class AltoException extends Exception {
        private static final long serialVersionUID = 1L;

        public AltoException(String message) {
            super(message);
        }
    }

    private AltoMaps(Map<Integer, Map<Prefix, String>> v4, Map<Integer, Map<Prefix, String>> v6,
                     Map<String, Map<String, Double>> costs, String description) {
        this.v4 = v4;
        this.v6 = v6;
        this.costs = costs;
        this.description = description;
    }

    /** Parses a network map and an optional cost map ({@code costJson} null for none). */
    public static AltoMaps parse(String networkJson, String costJson) throws AltoException {
        JsonNode network = object(networkJson, "network map");
        JsonNode map = network.get("network-map");
        if (map == null || !map.isObject()) {
            throw new AltoException("network map: no \"network-map\" object");
        }
        Map<Integer, Map<Prefix, String>> v4 = new HashMap<>();
        Map<Integer, Map<Prefix, String>> v6 = new HashMap<>();
        int prefixes = 0;
        List<String> pids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String pid = e.getKey();
            if (!PID_NAME.matcher(pid).matches()) {
                throw new AltoException("network map: PID name \"" + printable(pid) + "\" is not 1..64 characters of A-Z a-z 0-9 - : @ _ .");
            }
            pids.add(pid);
            if (!e.getValue().isObject()) {
                throw new AltoException("network map: PID " + pid + " is not an object of address lists");
            }
            for (Iterator<Map.Entry<String, JsonNode>> types = e.getValue().properties().iterator(); types.hasNext(); ) {
                Map.Entry<String, JsonNode> t = types.next();
                boolean ipv6 = t.getKey().equals("ipv6");
                if (!ipv6 && !t.getKey().equals("ipv4")) {
                    throw new AltoException("network map: PID " + pid + ": unknown address type \"" + printable(t.getKey()) + "\" (ipv4 or ipv6)");
                }
                if (!t.getValue().isArray()) {
                    throw new AltoException("network map: PID " + pid + ": " + t.getKey() + " is not a list of prefixes");
                }
                for (JsonNode p : t.getValue()) {
                    if (!p.isString()) {
                        throw new AltoException("network map: PID " + pid + ": a prefix is not a string");
                    }
                    addPrefix(ipv6 ? v6 : v4, ipv6, p.asString(), pid);
                    prefixes++;
                }
            }
        }
        if (pids.isEmpty() || prefixes == 0) {
            throw new AltoException("network map: no PID with an address prefix");
        }
        Map<String, Map<String, Double>> costs = Map.of();
        if (costJson != null) {
            costs = costs(costJson, network, pids);
        }
        return new AltoMaps(v4, v6, costs, pids.size() + " PIDs, " + prefixes + " prefixes"
                + (costJson == null ? ", no cost map" : ", a cost map"));
    }

    private static Map<String, Map<String, Double>> costs(String costJson, JsonNode network, List<String> pids)
            throws AltoException {
        JsonNode cost = object(costJson, "cost map");
        JsonNode mode = cost.path("meta").path("cost-type").path("cost-mode");
        if (!mode.isString() || !(mode.asString().equals("numerical") || mode.asString().equals("ordinal"))) {
            throw new AltoException("cost map: meta.cost-type.cost-mode must be \"numerical\" or \"ordinal\"");
        }
        JsonNode vtag = network.path("meta").path("vtag");
        JsonNode deps = cost.path("meta").path("dependent-vtags");
        if (vtag.isObject() && deps.isArray()) {
            boolean found = false;
            for (JsonNode d : deps) {
                if (d.path("resource-id").asString("").equals(vtag.path("resource-id").asString(""))) {
                    if (!d.path("tag").asString("").equals(vtag.path("tag").asString(""))) {
                        throw new AltoException("cost map: depends on version " + printable(d.path("tag").asString(""))
                                + " of network map " + printable(vtag.path("resource-id").asString("")) + ", which is at "
                                + printable(vtag.path("tag").asString("")));
                    }
                    found = true;
                }
            }
            if (!found) {
                throw new AltoException("cost map: meta.dependent-vtags does not name network map "
                        + printable(vtag.path("resource-id").asString("")));
            }
        }
        JsonNode map = cost.get("cost-map");
        if (map == null || !map.isObject()) {
            throw new AltoException("cost map: no \"cost-map\" object");
        }
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            if (!pids.contains(row.getKey())) {
                throw new AltoException("cost map: PID " + printable(row.getKey()) + " is not in the network map");
            }
            if (!row.getValue().isObject()) {
                throw new AltoException("cost map: the costs from " + row.getKey() + " are not an object");
            }
            Map<String, Double> to = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> cells = row.getValue().properties().iterator(); cells.hasNext(); ) {
                Map.Entry<String, JsonNode> c = cells.next();
                if (!pids.contains(c.getKey())) {
                    throw new AltoException("cost map: PID " + printable(c.getKey()) + " (from " + row.getKey() + ") is not in the network map");
                }
                if (!c.getValue().isNumber() || !(c.getValue().asDouble() >= 0) || Double.isInfinite(c.getValue().asDouble())) {
                    throw new AltoException("cost map: the cost from " + row.getKey() + " to " + c.getKey() + " is not a non-negative number");
                }
                to.put(c.getKey(), c.getValue().asDouble());
            }
            out.put(row.getKey(), to);
        }
        return out;
    }

    private static JsonNode object(String json, String what) throws AltoException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new AltoException(what + ": not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new AltoException(what + ": not a JSON object");
        }
        return n;
    }

    private static void addPrefix(Map<Integer, Map<Prefix, String>> table, boolean ipv6, String cidr, String pid)
            throws AltoException {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new AltoException("network map: PID " + pid + ": \"" + printable(cidr) + "\" is not a prefix such as 192.0.2.0/24");
        }
        byte[] address = literal(cidr.substring(0, slash), ipv6);
        if (address == null) {
            throw new AltoException("network map: PID " + pid + ": \"" + printable(cidr) + "\" is not an " + (ipv6 ? "IPv6" : "IPv4") + " prefix");
        }
        int length;
        try {
            length = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0 || length > address.length * 8) {
            throw new AltoException("network map: PID " + pid + ": prefix length of \"" + printable(cidr) + "\" out of range");
        }
        Prefix masked = masked(address, length);
        if (!masked.equals(masked(address, address.length * 8))) {
            throw new AltoException("network map: PID " + pid + ": \"" + printable(cidr) + "\" has host bits set");
        }
        String before = table.computeIfAbsent(length, l -> new HashMap<>()).putIfAbsent(masked, pid);
        if (before != null) {
            throw new AltoException("network map: prefix " + printable(cidr) + " is in PID " + before + " and in PID " + pid);
        }
    }

    /** A literal address of the family, never resolved by name; null if it is not one. */
    private static byte[] literal(String s, boolean ipv6) {
        if (ipv6 ? !s.contains(":") : !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            return b.length == (ipv6 ? 16 : 4) ? b : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Prefix masked(byte[] address, int bits) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 16; i++) {
            int b = i < address.length ? address[i] & 0xFF : 0;
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            b &= (0xFF << (8 - keep)) & 0xFF;
            if (i < 8) {
                high = (high << 8) | b;
            } else {
                low = (low << 8) | b;
            }
        }
        return new Prefix(high, low);
    }

    /** The PID of an address (4 or 16 bytes), by longest prefix; null when no prefix covers it. */
    public String pidOf(byte[] address) {
        Map<Integer, Map<Prefix, String>> table = address.length == 4 ? v4 : v6;
        if (table.isEmpty()) {
            return null;
        }
        for (int len = address.length * 8; len >= 0; len--) {
            Map<Prefix, String> m = table.get(len);
            if (m != null) {
                String pid = m.get(masked(address, len));
                if (pid != null) {
                    return pid;
                }
            }
        }
        return null;
    }

    /** The cost map's cost from one PID to another, or {@link Double#NaN} when it gives none. */
    public double cost(String from, String to) {
        Map<String, Double> row = costs.get(from);
        Double c = row == null ? null : row.get(to);
        return c == null ? Double.NaN : c;
    }

    public boolean isEmpty() {
        return v4.isEmpty() && v6.isEmpty();
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public String toString() {
        return description;
    }
}

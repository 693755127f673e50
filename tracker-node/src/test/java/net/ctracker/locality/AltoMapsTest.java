package net.ctracker.locality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ALTO network and cost maps (RFC 7285): lookups, ordering, and every rejection. */
class AltoMapsTest {

    static final String NETWORK = """
            {"meta": {"vtag": {"resource-id": "isp-network-map", "tag": "v1"}},
             "network-map": {
               "pid-metro":  {"ipv4": ["192.0.2.0/24", "198.51.100.0/25"]},
               "pid-region": {"ipv4": ["198.51.100.128/25"], "ipv6": ["2001:db8::/32"]},
               "pid-peering": {"ipv4": ["203.0.113.0/24"]},
               "pid-default": {"ipv4": ["0.0.0.0/0"]}}}
            """;
    static final String COST = """
            {"meta": {"dependent-vtags": [{"resource-id": "isp-network-map", "tag": "v1"}],
                      "cost-type": {"cost-mode": "numerical", "cost-metric": "routingcost"}},
             "cost-map": {
               "pid-metro": {"pid-metro": 1, "pid-region": 5, "pid-peering": 20, "pid-default": 100},
               "pid-region": {"pid-metro": 5, "pid-region": 1}}}
            """;

    static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    @Test
    void addressesFallInTheirLongestPrefixAndTheCostMapOrdersTheOthers() throws Exception {
        AltoMaps maps = AltoMaps.parse(NETWORK, COST);
        assertThat(maps.pidOf(ip("192.0.2.77"))).isEqualTo("pid-metro");
        assertThat(maps.pidOf(ip("198.51.100.200"))).isEqualTo("pid-region");
        assertThat(maps.pidOf(ip("8.8.8.8"))).as("the /0 catches the rest").isEqualTo("pid-default");
        assertThat(maps.pidOf(ip("2001:db8::5"))).isEqualTo("pid-region");
        assertThat(maps.pidOf(ip("2002::1"))).as("no IPv6 default").isNull();
        byte[] requester = ip("192.0.2.1");
        double sameNetwork = IpCloseness.distance(maps, requester, ip("198.51.100.3"));
        double region = IpCloseness.distance(maps, requester, ip("198.51.100.130"));
        double peering = IpCloseness.distance(maps, requester, ip("203.0.113.9"));
        double far = IpCloseness.distance(maps, requester, ip("8.8.8.8"));
        assertThat(sameNetwork).as("one PID is one network").isZero();
        assertThat(region).isLessThan(peering);
        assertThat(peering).isLessThan(far);
    }

    @Test
    void withoutAMapTheLongestCommonPrefixDecides() throws Exception {
        byte[] requester = ip("10.1.2.3");
        assertThat(IpCloseness.distance(AltoMaps.NONE, requester, ip("10.1.2.200")))
                .isLessThan(IpCloseness.distance(AltoMaps.NONE, requester, ip("10.1.9.9")));
        assertThat(IpCloseness.distance(AltoMaps.NONE, requester, ip("10.1.9.9")))
                .isLessThan(IpCloseness.distance(AltoMaps.NONE, requester, ip("192.168.0.1")));
        assertThat(IpCloseness.commonPrefixBits(ip("10.1.2.3"), ip("10.1.2.200"))).isEqualTo(24);
    }

    @Test
    void aNetworkMapWithoutACostMapStillGroupsNetworks() throws Exception {
        AltoMaps maps = AltoMaps.parse(NETWORK, null);
        assertThat(IpCloseness.distance(maps, ip("192.0.2.1"), ip("198.51.100.3"))).isZero();
        assertThat(maps.cost("pid-metro", "pid-region")).isNaN();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all                                                          | not JSON",
            "[1, 2]                                                                   | not a JSON object",
            "{}                                                                       | no \"network-map\" object",
            "{\"network-map\": {}}                                                    | no PID with an address prefix",
            "{\"network-map\": {\"bad name!\": {\"ipv4\": [\"10.0.0.0/8\"]}}}         | PID name",
            "{\"network-map\": {\"p\": [\"10.0.0.0/8\"]}}                             | not an object of address lists",
            "{\"network-map\": {\"p\": {\"ipx\": [\"10.0.0.0/8\"]}}}                  | unknown address type",
            "{\"network-map\": {\"p\": {\"ipv4\": \"10.0.0.0/8\"}}}                   | not a list of prefixes",
            "{\"network-map\": {\"p\": {\"ipv4\": [42]}}}                             | a prefix is not a string",
            "{\"network-map\": {\"p\": {\"ipv4\": [\"10.0.0.0\"]}}}                   | is not a prefix such as",
            "{\"network-map\": {\"p\": {\"ipv4\": [\"10.0.300.0/24\"]}}}              | is not an IPv4 prefix",
            "{\"network-map\": {\"p\": {\"ipv4\": [\"example.org/24\"]}}}             | is not an IPv4 prefix",
            "{\"network-map\": {\"p\": {\"ipv4\": [\"10.0.0.0/33\"]}}}                | out of range",
            "{\"network-map\": {\"p\": {\"ipv4\": [\"10.0.0.1/24\"]}}}                | host bits set",
            "{\"network-map\": {\"p\": {\"ipv6\": [\"10.0.0.0/8\"]}}}                 | is not an IPv6 prefix",
            "{\"network-map\": {\"p\": {\"ipv4\": [\"10.0.0.0/8\"]}, \"q\": {\"ipv4\": [\"10.0.0.0/8\"]}}} | is in PID p and in PID q"})
    void networkMapRejections(String json, String expected) {
        assertThatThrownBy(() -> AltoMaps.parse(json, null)).isInstanceOf(AltoMaps.AltoException.class)
                .hasMessageContaining(expected).hasMessageStartingWith("network map:");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "oops                                                                                       | not JSON",
            "{\"cost-map\": {}}                                                                          | cost-mode",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"bogus\"}}, \"cost-map\": {}}                   | cost-mode",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}}}                                  | no \"cost-map\" object",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}}, \"cost-map\": {\"nope\": {}}}    | PID nope is not in the network map",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}}, \"cost-map\": {\"pid-metro\": 3}} | are not an object",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}}, \"cost-map\": {\"pid-metro\": {\"x\": 1}}} | PID x (from pid-metro) is not in the network map",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}}, \"cost-map\": {\"pid-metro\": {\"pid-metro\": -1}}} | not a non-negative number",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}}, \"cost-map\": {\"pid-metro\": {\"pid-metro\": \"1\"}}} | not a non-negative number",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}, \"dependent-vtags\": [{\"resource-id\": \"isp-network-map\", \"tag\": \"v0\"}]}, \"cost-map\": {}} | depends on version v0",
            "{\"meta\": {\"cost-type\": {\"cost-mode\": \"numerical\"}, \"dependent-vtags\": [{\"resource-id\": \"other\", \"tag\": \"v1\"}]}, \"cost-map\": {}} | does not name network map"})
    void costMapRejections(String json, String expected) {
        assertThatThrownBy(() -> AltoMaps.parse(NETWORK, json)).isInstanceOf(AltoMaps.AltoException.class)
                .hasMessageContaining(expected).hasMessageStartingWith("cost map:");
    }
}

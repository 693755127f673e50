package net.ctracker.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import net.ctracker.swarm.AnnounceEvent;
import net.ctracker.swarm.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParserTest {

    static final String HASH = "%00%01%02%03%04%05%06%07%08%09%0A%0b%0c%0d%0e%0f%80%ff%fe%7f";
    static final String PEER = "-qB4500-%e2%82%acxyz012345";
    static final String OK = "info_hash=" + HASH + "&peer_id=" + PEER + "&port=6881";

    @Test
    void decodesBinaryValuesAsBytesNotText() {
        AnnounceRequest r = QueryParser.parseAnnounce(OK + "&uploaded=1&downloaded=2&left=3&event=started&numwant=7&compact=0&no_peer_id=1&key=%ff");
        assertThat(r.infoHash().toHex()).isEqualTo("000102030405060708090a0b0c0d0e0f80fffe7f");
        assertThat(r.peerId()).hasSize(20);
        assertThat(r.peerId()[8] & 0xff).isEqualTo(0xe2); // a UTF-8 decode would have merged these
        assertThat(r.port()).isEqualTo(6881);
        assertThat(r.uploaded()).isEqualTo(1);
        assertThat(r.downloaded()).isEqualTo(2);
        assertThat(r.left()).isEqualTo(3);
        assertThat(r.event()).isEqualTo(AnnounceEvent.STARTED);
        assertThat(r.numwant()).isEqualTo(7);
        assertThat(r.compact()).isFalse();
        assertThat(r.noPeerId()).isTrue();
        assertThat(r.key()).containsExactly((byte) 0xff);
    }

    @Test
    void unescapedRawBytesInTheRequestTargetArePreserved() {
        StringBuilder raw = new StringBuilder("info_hash=");
        for (int i = 0; i < 20; i++) {
            raw.append((char) (0xc0 + i)); // high bytes as an ISO-8859-1 request line delivers them
        }
        AnnounceRequest r = QueryParser.parseAnnounce(raw + "&peer_id=" + PEER + "&port=1");
        assertThat(r.infoHash().toBytes()[0] & 0xff).isEqualTo(0xc0);
    }

    @Test
    void defaultsWhenOptionalParametersAreAbsent() {
        AnnounceRequest r = QueryParser.parseAnnounce(OK);
        assertThat(r.event()).isEqualTo(AnnounceEvent.NONE);
        assertThat(r.numwant()).isEqualTo(-1);
        assertThat(r.compact()).isTrue();
        assertThat(r.left()).as("unknown left counts as a leecher").isPositive();
    }

    @Test
    void hugeNumbersSaturateInsteadOfOverflowing() {
        AnnounceRequest r = QueryParser.parseAnnounce(OK + "&numwant=99999999999999999999999&left=99999999999999999999");
        assertThat(r.numwant()).isEqualTo(Integer.MAX_VALUE);
        assertThat(r.left()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "peer_id=" + PEER + "&port=1                          | MISSING_INFO_HASH | missing info_hash",
            "info_hash=abc&peer_id=" + PEER + "&port=1             | INVALID_INFO_HASH | got 3",
            OK + "&info_hash=" + HASH + "                          | REPEATED_INFO_HASH | more than once",
            "info_hash=" + HASH + "&port=1                          | MISSING_PEER_ID | missing peer_id",
            "info_hash=" + HASH + "&peer_id=short&port=1            | INVALID_PEER_ID | got 5",
            "info_hash=" + HASH + "&peer_id=" + PEER + "            | MISSING_PORT | missing port",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=0     | INVALID_PORT | got 0",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=65536 | INVALID_PORT | got 65536",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=http  | INVALID_PORT | 'http'",
            "info_hash=" + HASH + "&peer_id=" + PEER + "&port=      | INVALID_PORT | port is empty",
            OK + "&uploaded=-5                                     | INVALID_NUMBER | uploaded",
            OK + "&left=1e9                                        | INVALID_NUMBER | left",
            OK + "&numwant=-1                                      | INVALID_NUMWANT | numwant",
            OK + "&event=begin                                     | UNKNOWN_EVENT | 'begin'",
            "info_hash=%zz" + "&peer_id=" + PEER + "&port=1         | MALFORMED_QUERY | info_hash",
            OK + "&key=%4                                          | MALFORMED_QUERY | key",
    })
    void rejectsBadAnnouncesWithAClearReason(String query, FailureReason reason, String detail) {
        assertThatThrownBy(() -> QueryParser.parseAnnounce(query))
                .isInstanceOfSatisfying(TrackerRequestException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(detail);
    }

    @Test
    void scrapeTakesSeveralHashesDropsDuplicatesAndCaps() {
        String h2 = "%11".repeat(20);
        List<InfoHash> hashes = QueryParser.parseScrape("info_hash=" + HASH + "&info_hash=" + h2 + "&info_hash=" + HASH, 2);
        assertThat(hashes).hasSize(2);
        assertThatThrownBy(() -> QueryParser.parseScrape("info_hash=" + HASH + "&info_hash=" + h2, 1))
                .isInstanceOfSatisfying(TrackerRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_MANY_INFO_HASHES));
        assertThat(QueryParser.parseScrape("", 5)).isEmpty();
    }

    @Test
    void splitsTargetIntoPathAndQuery() {
        assertThat(QueryParser.pathOf("/announce?x=1")).isEqualTo("/announce");
        assertThat(QueryParser.queryOf("/announce?x=1")).isEqualTo("x=1");
        assertThat(QueryParser.queryOf("/scrape")).isEmpty();
    }
}

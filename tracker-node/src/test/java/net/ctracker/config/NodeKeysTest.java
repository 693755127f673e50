package net.ctracker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.ctracker.overlay.routing.NodeKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeysTest {

    private static OverlayProperties props(String advertisedUrl, String nodeKey, String dataDir) {
        return new OverlayProperties(List.of(), advertisedUrl, nodeKey, "default", null, null, dataDir,
                new OverlayProperties.Overlay(null, null, null, null, null, null, null, null,
                        java.time.Duration.ofSeconds(30), 200_000, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(2)));
    }

    @Test
    void twoHostsOnTheDefaultUrlGetDifferentKeys() {
        String defaultUrl = "http://127.0.0.1:7070";
        assertThat(NodeKeys.choose(props(null, null, null), defaultUrl))
                .isNotEqualTo(NodeKeys.choose(props(null, null, null), defaultUrl));
    }

    @Test
    void aConfiguredAdvertisedUrlGivesAStableKeyAndAConfiguredKeyWins() {
        String url = "http://ctracker-0.ctracker:7070";
        assertThat(NodeKeys.choose(props(url, null, null), url)).isEqualTo(NodeKeys.choose(props(url, null, null), url));
        String key = "00112233445566778899aabbccddeeff00112233";
        assertThat(NodeKeys.choose(props(url, key, null), url)).isEqualTo(NodeKey.parse(key));
    }

    @Test
    void aKeyKeptInTheDataDirSurvivesARestart(@TempDir Path dir) throws Exception {
        NodeKey first = NodeKeys.choose(props(null, null, dir.toString()), "http://127.0.0.1:7070");
        assertThat(Files.readString(dir.resolve("node-key")).trim()).isEqualTo(first.toString());
        assertThat(NodeKeys.choose(props(null, null, dir.toString()), "http://127.0.0.1:7071")).isEqualTo(first);
    }
}

package net.ctracker.locality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Map files: read at start-up (a bad one refused with its name), re-read on change, a broken new version ignored. */
class AltoFilesTest {

    @TempDir
    Path dir;

    private static void write(Path p, String text, long stampMillis) throws Exception {
        Files.writeString(p, text);
        Files.setLastModifiedTime(p, FileTime.fromMillis(stampMillis));
    }

    @Test
    void aChangedFileIsReReadAndABrokenNewVersionKeepsTheOld() throws Exception {
        Path network = dir.resolve("network.json");
        write(network, "{\"network-map\": {\"a\": {\"ipv4\": [\"10.0.0.0/8\"]}}}", 1_000_000);
        AltoFiles files = new AltoFiles(network, null);
        byte[] ip = InetAddress.getByName("10.1.2.3").getAddress();
        assertThat(files.current().pidOf(ip)).isEqualTo("a");
        assertThat(files.refresh()).as("nothing changed").isFalse();

        write(network, "{\"network-map\": {\"a\": {\"ipv4\": [\"10.0.0.0/88\"]}}}", 2_000_000);
        assertThat(files.refresh()).as("a broken new version is not taken").isFalse();
        assertThat(files.current().pidOf(ip)).as("the old map stays in force").isEqualTo("a");

        write(network, "{\"network-map\": {\"b\": {\"ipv4\": [\"10.0.0.0/8\"]}}}", 3_000_000);
        assertThat(files.refresh()).isTrue();
        assertThat(files.current().pidOf(ip)).isEqualTo("b");
    }

    @Test
    void aBadFileAtStartUpNamesTheSettingTheFileAndTheProblem() throws Exception {
        Path network = dir.resolve("network.json");
        Path cost = dir.resolve("cost.json");
        write(network, "{\"network-map\": {\"a\": {\"ipv4\": [\"10.0.0.0/8\"]}}}", 1_000_000);
        write(cost, "{\"cost-map\": {}}", 1_000_000);
        assertThatThrownBy(() -> new AltoFiles(network, cost)).isInstanceOf(IllegalStateException.class)
                .hasMessage("ctracker.locality.alto-cost-map " + cost
                        + ": cost map: meta.cost-type.cost-mode must be \"numerical\" or \"ordinal\"");
        assertThatThrownBy(() -> new AltoFiles(dir.resolve("missing.json"), null))
                .hasMessageContaining("ctracker.locality.alto-network-map " + dir.resolve("missing.json"))
                .hasMessageContaining("no such file");
    }
}

package net.ctracker.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The page's files as packaged: everything it loads is its own (no CDN: an operator's network may
 * be closed), every file it names exists, and nothing inline would need the Content-Security-Policy
 * the node sends to be loosened. The behaviour itself is tested in a real browser by tracker-node's
 * AdminPageBrowserTest.
 */
class AdminUiResourcesTest {

    private static final Path ROOT = Path.of("src/main/resources/META-INF/resources/admin");
    private static final Pattern IMPORT = Pattern.compile("(?:import|export)\\s[^;]*?from\\s+'([^']+)'");
    private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @Test
    void theEntryPageIsPackagedWhereTheNodeServesIt() {
        assertThat(getClass().getResource("/META-INF/resources/admin/index.html")).isNotNull();
        assertThat(getClass().getResource("/META-INF/resources/admin/js/main.js")).isNotNull();
    }

    @Test
    void nothingIsLoadedFromAnotherOrigin() throws IOException {
        for (Path f : files()) {
            String text = Files.readString(f).replace("'http://www.w3.org/2000/svg'", "'svg-namespace'");
            assertThat(text).as("%s names no other origin", f).doesNotContainPattern("https?://").doesNotContain("src=\"//")
                    .doesNotContain("href=\"//").doesNotContain("from '//");
        }
    }

    @Test
    void everyModuleAndFileItNamesExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path f : files()) {
            String text = Files.readString(f);
            Matcher m = (f.toString().endsWith(".js") ? IMPORT : LINK).matcher(text);
            while (m.find()) {
                String ref = m.group(1);
                if (ref.startsWith("data:")) {
                    continue;
                }
                if (!Files.isRegularFile(f.getParent().resolve(ref).normalize())) {
                    missing.add(f.getFileName() + " -> " + ref);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void thePageHasNoInlineScriptStyleOrHandlers() throws IOException {
        String html = Files.readString(ROOT.resolve("index.html"));
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>").doesNotContainPattern("\\sstyle=")
                .doesNotContainPattern("\\son[a-z]+=").doesNotContain("<style");
        for (Path f : files()) {
            if (f.toString().endsWith(".js")) {
                assertThat(Files.readString(f)).as("%s builds elements without parsing HTML", f)
                        .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                        .doesNotContain("setAttribute('style'").doesNotContain("eval(");
            }
        }
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}

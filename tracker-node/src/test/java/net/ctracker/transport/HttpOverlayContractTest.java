package net.ctracker.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import net.ctracker.TrackerNodeApplication;
import net.ctracker.overlay.OverlayContractTest;
import net.ctracker.overlay.OverlayNode;
import net.ctracker.overlay.routing.NodeHandle;
import net.ctracker.overlay.LocalNode;
import net.ctracker.overlay.routing.NodeKey;
import net.ctracker.support.ClusterSeeds;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The overlay contract over real HTTP: each node is a full tracker node on loopback. */
class HttpOverlayContractTest extends OverlayContractTest {

    @Override
    protected Cluster newCluster() {
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        Map<OverlayNode, ConfigurableApplicationContext> byNode = new HashMap<>();
        List<String> urls = new ArrayList<>();
        ClusterSeeds seeds = ClusterSeeds.forTest(getClass().getSimpleName());
        return new Cluster() {
            @Override
            public OverlayNode add() {
                List<String> args = new ArrayList<>(List.of("--server.port=0", "--ctracker.internal-port=0",
                        "--ctracker.cluster-secret=contract-test-cluster-secret", "--ctracker.overlay.join-retry=500ms",
                        "--ctracker.overlay.leaf-exchange-period=2s", "--spring.main.banner-mode=off", seeds.nodeKeyArgument()));
                if (!urls.isEmpty()) {
                    args.add("--ctracker.bootstrap=" + String.join(",", urls));
                }
                ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TrackerNodeApplication.class)
                        .run(args.toArray(String[]::new));
                contexts.add(ctx);
                urls.add("http://127.0.0.1:" + ((WebServerApplicationContext) ctx).getWebServer().getPort());
                OverlayNode node = ctx.getBean(LocalNode.class).node();
                byNode.put(node, ctx);
                return node;
            }

            @Override
            public void awaitTrue(String what, BooleanSupplier condition, Duration limit) {
                Awaitility.await(what).atMost(limit).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
            }

            @Override
            public void assertHolds(String what, BooleanSupplier condition, Duration period) {
                Awaitility.await(what).during(period).atMost(period.plusSeconds(1)).pollInterval(Duration.ofMillis(100))
                        .until(condition::getAsBoolean);
            }

            @Override
            public void stop(OverlayNode node) {
                byNode.get(node).close();
            }

            @Override
            public NodeHandle unreachable() {
                // port 1 on loopback: connection refused at once
                return new NodeHandle(NodeKey.parse("00000000000000000000000000000000000000aa"), "http://127.0.0.1:1", "nowhere");
            }

            @Override
            public void close() {
                contexts.forEach(ConfigurableApplicationContext::close);
            }
        };
    }
}

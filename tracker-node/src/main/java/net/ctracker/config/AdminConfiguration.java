package net.ctracker.config;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import net.ctracker.admin.AdminAccessFilter;
import net.ctracker.admin.ClusterController;
import net.ctracker.admin.CountersController;
import net.ctracker.cluster.ClusterMessage.HeldList;
import net.ctracker.cluster.ClusterProtocol;
import net.ctracker.partial.PartialTracker;
import net.ctracker.swarm.SwarmStore;
import net.ctracker.time.Clock;
import net.ctracker.overlay.LocalNode;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires the operator's side: the cluster view (a {@link ClusterProtocol} registered on the overlay
 * node once it is built, before it joins), its controller, the counters for the rate charts, the
 * page at {@code /admin/} (static files of the admin-ui module) and the optional credential in front
 * of {@code /admin/*}. All on the internal port: the public port's Netty server knows none of it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminConfiguration {

    @Bean(destroyMethod = "stop")
    ClusterBinding clusterBinding(AdminProperties p, LocalNode local, SwarmStore store,
                                  PartialConfiguration.PartialTrackerBinding partial, Clock clock) {
        AdminProperties.Cluster c = p.cluster();
        ClusterProtocol.Settings settings = new ClusterProtocol.Settings(c.timeout().toMillis(), c.cacheTtl().toMillis(),
                c.maxNodes(), c.maxBytes().toBytes(), c.maxInFlight(), c.forgetAfter().toMillis());
        ClusterProtocol.LocalFacts facts = new ClusterProtocol.LocalFacts() {
            @Override
            public int swarms() {
                return store.swarmCount();
            }

            @Override
            public long peers() {
                return store.peerCount();
            }

            @Override
            public CompletableFuture<List<HeldList>> largestSwarms(int limit) {
                PartialTracker t = partial.get();
                if (t == null) {
                    return CompletableFuture.completedFuture(List.of()); // partial trackers off: no full lists
                }
                return t.largestSwarms(limit).thenApply(held -> held.stream()
                        .map(h -> new HeldList(h.infoHash(), h.root(), h.seeders(), h.leechers(), h.downloaded())).toList());
            }
        };
        ClusterBinding binding = new ClusterBinding();
        local.whenCreated(node -> binding.set(new ClusterProtocol(node, node.scheduler(), clock, settings, facts).register()));
        return binding;
    }

    @Bean
    ClusterController clusterController(ClusterBinding binding, AdminProperties p) {
        return new ClusterController(limit -> {
            ClusterProtocol protocol = binding.get();
            return protocol == null ? null : protocol.view(limit);
        }, p.cluster().timeout());
    }

    @Bean
    CountersController countersController(MeterRegistry registry, Clock clock) {
        return new CountersController(registry, clock);
    }

    @Bean
    FilterRegistrationBean<AdminAccessFilter> adminAccessFilter(AdminProperties p, Clock clock) {
        FilterRegistrationBean<AdminAccessFilter> r = new FilterRegistrationBean<>(
                new AdminAccessFilter(p.username(), p.password(), clock));
        r.addUrlPatterns("/admin", "/admin/*");
        r.setName("adminAccess");
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return r;
    }

    /** {@code /admin} and {@code /admin/} open the page; its files come from META-INF/resources/admin/ in admin-ui. */
    @Bean
    WebMvcConfigurer adminPage() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/admin", "/admin/");
                registry.addViewController("/admin/").setViewName("forward:/admin/index.html");
            }
        };
    }

    /** The node's cluster view, once the overlay node exists. */
    static final class ClusterBinding {
        private volatile ClusterProtocol protocol;

        void set(ClusterProtocol p) {
            protocol = p;
        }

        ClusterProtocol get() {
            return protocol;
        }

        void stop() {
            ClusterProtocol p = protocol;
            if (p != null) {
                p.stop();
            }
        }
    }
}

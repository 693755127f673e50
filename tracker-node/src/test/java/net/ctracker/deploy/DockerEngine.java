package net.ctracker.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine and the local base image that the container tests need. An engine that does
 * not answer at {@code DOCKER_HOST} is started with {@code docker/engine.sh} where that can work
 * (root, dockerd installed); the base image is built from Debian's packages with
 * {@code docker/build-base-image.sh} when it is missing. Only where no engine can start does a test
 * skip, saying why; with {@code CI=true} it fails instead.
 */
final class DockerEngine {

    /** The base image of the Dockerfile in tests: Debian's JRE, since no registry can be pulled. */
    static final String BASE_IMAGE = System.getProperty("ctracker.test.base-image", "ctracker-jre:local");

    private DockerEngine() {
    }

    /** The repository root: the folder holding docker/Dockerfile, from the module or the root. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/Dockerfile"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docker/Dockerfile above " + dir);
    }

    /** Makes sure an engine answers and the base image exists, or skips (fails in CI) saying why. */
    static void require() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        // Testcontainers remembers a failed look-up for good: start the engine before it looks
        String why = host.startsWith("unix://") && !answers(Path.of(host.substring("unix://".length()))) ? startEngine(host) : null;
        if (why == null && !DockerClientFactory.instance().isDockerAvailable()) {
            why = "Testcontainers cannot reach it";
        }
        if (why != null) {
            unavailable("no Docker engine answers at DOCKER_HOST=" + host + " and none could be started: " + why
                    + " (as root: docker/engine.sh start, then export DOCKER_HOST=unix:///tmp/ctracker-docker/docker.sock)");
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(BASE_IMAGE).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            run(List.of("bash", repositoryRoot().resolve("docker/build-base-image.sh").toString(), BASE_IMAGE), 600,
                    "building the base image " + BASE_IMAGE + " from Debian's packages");
        }
    }

    /** Starts an engine on the socket of {@code host}; returns null once it answers, else the reason. */
    private static String startEngine(String host) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "dockerd needs root";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd")) && !Files.isExecutable(Path.of("/usr/bin/dockerd"))) {
            return "dockerd is not installed (apt-get install -y docker.io)";
        }
        Path socket = Path.of(host.substring("unix://".length()));
        try {
            run(List.of("bash", repositoryRoot().resolve("docker/engine.sh").toString(), "start", socket.getParent().toString()),
                    120, "starting a Docker engine");
        } catch (AssertionError e) {
            return e.getMessage();
        }
        return answers(socket) ? null : "dockerd started but its socket does not answer";
    }

    private static boolean answers(Path socket) {
        try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void unavailable(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    private static void run(List<String> command, int seconds, String what) {
        try {
            Path log = Files.createTempFile("ctracker-docker", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " took longer than " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(what + " failed: " + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + what, e);
        }
    }
}

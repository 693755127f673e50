package net.ctracker;

import io.netty.util.ResourceLeakDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of a CTracker node. Only {@code net.ctracker.config} is scanned: it wires everything else. */
@SpringBootApplication(scanBasePackages = "net.ctracker.config")
public class TrackerNodeApplication {

    /** Netty's system properties for its buffer leak detector (the current name, the old one); set, they are obeyed. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    static final String LEAK_DETECTION_OLD = "io.netty.leakDetectionLevel";

    public static void main(String[] args) {
        // Netty samples one buffer in 128 for leaks by default, recording a stack trace each time:
        // about 1% of a node's CPU on the public port (docs/performance.md). A running node has it
        // off unless the operator asks for it; the tests, which do not start here, keep it on.
        if (System.getProperty(LEAK_DETECTION) == null && System.getProperty(LEAK_DETECTION_OLD) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        SpringApplication.run(TrackerNodeApplication.class, args);
    }
}

package net.ctracker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of a CTracker node. Only {@code net.ctracker.config} is scanned: it wires everything else. */
@SpringBootApplication(scanBasePackages = "net.ctracker.config")
public class TrackerNodeApplication {
    public static void main(String[] args) {
        SpringApplication.run(TrackerNodeApplication.class, args);
    }
}

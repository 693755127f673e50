package net.ctracker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of a CTracker node. Wiring lives in {@code net.ctracker.config}. */
@SpringBootApplication
public class TrackerNodeApplication {
    public static void main(String[] args) {
        SpringApplication.run(TrackerNodeApplication.class, args);
    }
}

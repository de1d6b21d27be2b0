package io.jenkins.plugins.gitops.core.bench;

/** One timed run: wall milliseconds and peak resident set in KB (0 when GNU time is not installed). */
record Sample(double millis, long peakRssKb) {}

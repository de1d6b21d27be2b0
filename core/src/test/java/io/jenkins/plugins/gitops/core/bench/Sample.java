package io.jenkins.plugins.gitops.core.bench;

/**
 * One timed run: wall milliseconds, CPU milliseconds (user + system) and peak resident set in KB; the
 * last two are 0 when GNU time is not installed.
 */
record Sample(double millis, double cpuMillis, long peakRssKb) {}
